package main

// version is stamped by the Makefile with -ldflags "-X main.version=...".
var version = "dev"
