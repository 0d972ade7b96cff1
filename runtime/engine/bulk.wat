(module
  (memory 1)
  ;; copy is memory.copy (memmove semantics) for the sizes C code copies
  ;; most: up to 32 bytes all is loaded before anything is stored; up to
  ;; 1 KiB, when the destination does not start inside the source, 32-byte
  ;; chunks go forward, with the last 32 bytes loaded first and stored
  ;; last. Anything else is left to memory.copy, and so are the cases
  ;; where it must trap without a plain access doing so: n = 0 with an
  ;; address past the end, and a range that wraps past 4 GiB (the 32-bit
  ;; sums below would wrap to low memory instead of trapping).
  (func $copy (param $d i32) (param $s i32) (param $n i32)
    (local $a v128) (local $b v128) (local $c v128) (local $e v128)
    (local $x i64) (local $y i64) (local $i i32) (local $j i32)
    (if (i32.or
          (i32.eqz (local.get $n))
          (i32.or
            (i32.lt_u (i32.add (local.get $s) (local.get $n)) (local.get $s))
            (i32.lt_u (i32.add (local.get $d) (local.get $n)) (local.get $d))))
      (then (memory.copy (local.get $d) (local.get $s) (local.get $n)) (return)))
    (if (i32.le_u (local.get $n) (i32.const 32))
      (then
        (if (i32.ge_u (local.get $n) (i32.const 16))
          (then
            (local.set $a (v128.load align=1 (local.get $s)))
            (local.set $b (v128.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 16))))
            (v128.store align=1 (local.get $d) (local.get $a))
            (v128.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 16)) (local.get $b))
            (return)))
        (if (i32.ge_u (local.get $n) (i32.const 8))
          (then
            (local.set $x (i64.load align=1 (local.get $s)))
            (local.set $y (i64.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 8))))
            (i64.store align=1 (local.get $d) (local.get $x))
            (i64.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 8)) (local.get $y))
            (return)))
        (if (i32.ge_u (local.get $n) (i32.const 4))
          (then
            (local.set $i (i32.load align=1 (local.get $s)))
            (local.set $j (i32.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 4))))
            (i32.store align=1 (local.get $d) (local.get $i))
            (i32.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 4)) (local.get $j))
            (return)))
        (if (local.get $n)
          (then
            ;; 1 to 3 bytes: first, middle and last (some the same byte)
            (local.set $i (i32.load8_u (local.get $s)))
            (local.set $j (i32.load8_u (i32.add (local.get $s) (i32.shr_u (local.get $n) (i32.const 1)))))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (local.set $s (i32.load8_u (i32.add (local.get $s) (local.get $n))))
            (i32.store8 (local.get $d) (local.get $i))
            (i32.store8 (i32.add (local.get $d) (i32.shr_u (i32.add (local.get $n) (i32.const 1)) (i32.const 1))) (local.get $j))
            (i32.store8 (i32.add (local.get $d) (local.get $n)) (local.get $s))))
        (return)))
    (if (i32.and
          (i32.le_u (local.get $n) (i32.const 1024))
          (i32.ge_u (i32.sub (local.get $d) (local.get $s)) (local.get $n)))
      (then
        (local.set $c (v128.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 32))))
        (local.set $e (v128.load align=1 (i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const 16))))
        (local.set $i (i32.const 0))
        (local.set $j (i32.sub (local.get $n) (i32.const 32)))
        (loop $chunks
          (local.set $a (v128.load align=1 (i32.add (local.get $s) (local.get $i))))
          (local.set $b (v128.load offset=16 align=1 (i32.add (local.get $s) (local.get $i))))
          (v128.store align=1 (i32.add (local.get $d) (local.get $i)) (local.get $a))
          (v128.store offset=16 align=1 (i32.add (local.get $d) (local.get $i)) (local.get $b))
          (local.set $i (i32.add (local.get $i) (i32.const 32)))
          (br_if $chunks (i32.lt_u (local.get $i) (local.get $j))))
        (local.set $d (i32.add (local.get $d) (local.get $j)))
        (v128.store align=1 (local.get $d) (local.get $c))
        (v128.store offset=16 align=1 (local.get $d) (local.get $e))
        (return)))
    (memory.copy (local.get $d) (local.get $s) (local.get $n)))

  ;; fill is memory.fill for 1 byte to 1 KiB: overlapping stores of the
  ;; byte splatted to 16 bytes. As for copy, n = 0 and a range past 4 GiB
  ;; are left to the instruction.
  (func $fill (param $d i32) (param $v i32) (param $n i32)
    (local $a v128) (local $i i32) (local $x i64)
    (if (i32.or
          (i32.or (i32.eqz (local.get $n)) (i32.gt_u (local.get $n) (i32.const 1024)))
          (i32.lt_u (i32.add (local.get $d) (local.get $n)) (local.get $d)))
      (then (memory.fill (local.get $d) (local.get $v) (local.get $n)) (return)))
    (local.set $a (i8x16.splat (local.get $v)))
    (if (i32.ge_u (local.get $n) (i32.const 16))
      (then
        (local.set $i (i32.const 0))
        (local.set $n (i32.sub (local.get $n) (i32.const 16)))
        (block $done
          (loop $chunks
            (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
            (v128.store align=1 (i32.add (local.get $d) (local.get $i)) (local.get $a))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $chunks)))
        (v128.store align=1 (i32.add (local.get $d) (local.get $n)) (local.get $a))
        (return)))
    (local.set $x (i64x2.extract_lane 0 (local.get $a)))
    (if (i32.ge_u (local.get $n) (i32.const 8))
      (then
        (i64.store align=1 (local.get $d) (local.get $x))
        (i64.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 8)) (local.get $x))
        (return)))
    (if (i32.ge_u (local.get $n) (i32.const 4))
      (then
        (i32.store align=1 (local.get $d) (i32.wrap_i64 (local.get $x)))
        (i32.store align=1 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 4)) (i32.wrap_i64 (local.get $x)))
        (return)))
    (if (local.get $n)
      (then
        (i32.store8 (local.get $d) (local.get $v))
        (i32.store8 (i32.add (local.get $d) (i32.shr_u (local.get $n) (i32.const 1))) (local.get $v))
        (i32.store8 (i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const 1)) (local.get $v))))))
