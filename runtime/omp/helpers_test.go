package omp

import "errors"

var errTest = errors.New("boom")

func asThreadError(err error, te **ThreadError) bool { return errors.As(err, te) }
