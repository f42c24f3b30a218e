;; dot-scan: the WebAssembly SIMD core of DotEncoder (create-simd-dot-chunk-encoder.ts) and of
;; findBareLineEnd (find-bare-line-end.ts). Hand-written;
;; compiled into dot-scan-wasm.ts by `node scripts/build-dot-scan-wasm.mjs <path to the wabt npm package>`.
;;
;; encode(in, len, out) -> written. Encodes the window in[0, len) to out (at most 2 * len bytes) and
;; returns the byte count; in[-1] holds the byte before the window (the caller writes LF there at a line
;; start, else the real previous byte). Before each position i of the window it inserts octets where
;; RFC 5321 section 4.5.2 asks (every line ending CRLF, a line-opening "." doubled):
;;
;;   in[i] == LF and in[i-1] != CR                   a bare LF at i: insert CR
;;   in[i] != LF and in[i-1] == CR                   a bare CR at i-1: insert LF
;;   in[i] == '.' and in[i-1] is CR or LF            a dot opening a line: insert "."
;;
;; The last two can hold at once ("\r." gives "\r\n.."). Example, in[-1] = 'x':
;;
;;   window "a\n.b\rc"  ->  out "a\r\n..b\r\nc"
;;
;; A CR ending the window is the caller's: only it knows whether a LF follows in the next chunk.
;;
;; The loop takes 64 bytes per step as four 16-byte blocks and computes each block's edit mask with
;; compares on two overlapping loads (in[i] and in[i-1]): (in[i] == LF) xor (in[i-1] == CR), or a dot
;; after CR or LF. One any_true tests the four masks: in mail text nearly all steps have no edit. The
;; clean run before each edit goes out with $copy. The loop may read up to 63 bytes past in[len] (lanes
;; past len are masked out) and write up to 15 past the output; the caller keeps both inside memory.
;;
;; findBare(in, len) -> i or -1. Only looks: the first position i of the window in[0, len) where
;;
;;   (in[i] == LF) xor (in[i-1] == CR)
;;
;; that is a bare LF at i, or a bare CR at i-1 (in[i] is then no LF), the line endings RFC 5321 sections
;; 2.3.8 and 4.1.1.4 forbid; -1 when there is none. in[-1] is the caller's, as for encode (a byte that is
;; no CR at the start of a chunk). A CR ending the window shows in the next window, or is the caller's.
;; The same 64-byte steps and overread as encode. Example, in[-1] = 'x': "a\r\nb\nc" -> 4.
(module
  (memory (export "memory") 8)

  ;; Copies $n bytes from $src to $dst: a run shorter than 128 bytes (a line, in LF-only text) in 16-byte
  ;; loads and stores, which may write up to 15 bytes past $dst + $n (the caller leaves room), and a
  ;; longer one with memory.copy (a call to memmove).
  (func $copy (param $dst i32) (param $src i32) (param $n i32)
    (local $k i32)
    (if (i32.ge_u (local.get $n) (i32.const 128))
      (then
        (memory.copy (local.get $dst) (local.get $src) (local.get $n))
        (return)))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_s (local.get $k) (local.get $n)))
        (v128.store (i32.add (local.get $dst) (local.get $k)) (v128.load (i32.add (local.get $src) (local.get $k))))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (br $blocks))))

  ;; The start of the window's bytes not yet written out (a clean run).
  (global $run (mut i32) (i32.const 0))

  ;; For each edit of mask $e (the block at window position $q; lanes before $len only): writes the clean
  ;; run before it, then the inserted octets. Returns the new output position.
  (func $emit (param $e v128) (param $q i32) (param $len i32) (param $in i32) (param $o i32) (result i32)
    (local $mask i32) (local $rest i32) (local $i i32) (local $byte i32) (local $prev i32)
    (local.set $rest (i32.sub (local.get $len) (local.get $q)))
    (if (i32.le_s (local.get $rest) (i32.const 0)) (then (return (local.get $o))))
    (local.set $mask (i8x16.bitmask (local.get $e)))
    (if (i32.lt_s (local.get $rest) (i32.const 16))
      (then (local.set $mask (i32.and (local.get $mask)
        (i32.sub (i32.shl (i32.const 1) (local.get $rest)) (i32.const 1))))))
    (block $done
      (loop $bits
        (br_if $done (i32.eqz (local.get $mask)))
        (local.set $i (i32.add (local.get $q) (i32.ctz (local.get $mask))))
        (call $copy (local.get $o) (i32.add (local.get $in) (global.get $run))
          (i32.sub (local.get $i) (global.get $run)))
        (local.set $o (i32.add (local.get $o) (i32.sub (local.get $i) (global.get $run))))
        (global.set $run (local.get $i))
        (local.set $byte (i32.load8_u (i32.add (local.get $in) (local.get $i))))
        (local.set $prev (i32.load8_u (i32.sub (i32.add (local.get $in) (local.get $i)) (i32.const 1))))
        (if (i32.eq (local.get $byte) (i32.const 10))
          (then
            (i32.store8 (local.get $o) (i32.const 13))
            (local.set $o (i32.add (local.get $o) (i32.const 1))))
          (else
            (if (i32.eq (local.get $prev) (i32.const 13))
              (then
                (i32.store8 (local.get $o) (i32.const 10))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))))
            (if (i32.and (i32.eq (local.get $byte) (i32.const 46))
                  (i32.or (i32.eq (local.get $prev) (i32.const 13)) (i32.eq (local.get $prev) (i32.const 10))))
              (then
                (i32.store8 (local.get $o) (i32.const 46))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))))))
        (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
        (br $bits)))
    (local.get $o))

  (func (export "encode") (param $in i32) (param $len i32) (param $out i32) (result i32)
    (local $p i32) (local $a i32) (local $b i32) (local $o i32)
    (local $v v128) (local $prev v128) (local $prevCr v128)
    (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128)
    (local $kLf v128) (local $kCr v128) (local $kDot v128)
    (local.set $kLf (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
    (local.set $kCr (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))
    (local.set $kDot (v128.const i8x16 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46 46))
    (local.set $o (local.get $out))
    (global.set $run (i32.const 0))
    (block $done
      (loop $steps
        (br_if $done (i32.ge_s (local.get $p) (local.get $len)))
        (local.set $a (i32.add (local.get $in) (local.get $p)))
        (local.set $b (i32.sub (local.get $a) (i32.const 1)))
        ;; Block k of the step: $v = in[i], $prev = in[i-1] for its 16 lanes.
        (local.set $v (v128.load offset=0 (local.get $a)))
        (local.set $prev (v128.load offset=0 (local.get $b)))
        (local.set $prevCr (i8x16.eq (local.get $prev) (local.get $kCr)))
        (local.set $e0 (v128.or
          (v128.xor (i8x16.eq (local.get $v) (local.get $kLf)) (local.get $prevCr))
          (v128.and (i8x16.eq (local.get $v) (local.get $kDot))
            (v128.or (local.get $prevCr) (i8x16.eq (local.get $prev) (local.get $kLf))))))
        (local.set $v (v128.load offset=16 (local.get $a)))
        (local.set $prev (v128.load offset=16 (local.get $b)))
        (local.set $prevCr (i8x16.eq (local.get $prev) (local.get $kCr)))
        (local.set $e1 (v128.or
          (v128.xor (i8x16.eq (local.get $v) (local.get $kLf)) (local.get $prevCr))
          (v128.and (i8x16.eq (local.get $v) (local.get $kDot))
            (v128.or (local.get $prevCr) (i8x16.eq (local.get $prev) (local.get $kLf))))))
        (local.set $v (v128.load offset=32 (local.get $a)))
        (local.set $prev (v128.load offset=32 (local.get $b)))
        (local.set $prevCr (i8x16.eq (local.get $prev) (local.get $kCr)))
        (local.set $e2 (v128.or
          (v128.xor (i8x16.eq (local.get $v) (local.get $kLf)) (local.get $prevCr))
          (v128.and (i8x16.eq (local.get $v) (local.get $kDot))
            (v128.or (local.get $prevCr) (i8x16.eq (local.get $prev) (local.get $kLf))))))
        (local.set $v (v128.load offset=48 (local.get $a)))
        (local.set $prev (v128.load offset=48 (local.get $b)))
        (local.set $prevCr (i8x16.eq (local.get $prev) (local.get $kCr)))
        (local.set $e3 (v128.or
          (v128.xor (i8x16.eq (local.get $v) (local.get $kLf)) (local.get $prevCr))
          (v128.and (i8x16.eq (local.get $v) (local.get $kDot))
            (v128.or (local.get $prevCr) (i8x16.eq (local.get $prev) (local.get $kLf))))))
        (if (v128.any_true
              (v128.or (v128.or (local.get $e0) (local.get $e1)) (v128.or (local.get $e2) (local.get $e3))))
          (then
            (local.set $o (call $emit (local.get $e0) (local.get $p) (local.get $len) (local.get $in) (local.get $o)))
            (local.set $o (call $emit (local.get $e1) (i32.add (local.get $p) (i32.const 16))
              (local.get $len) (local.get $in) (local.get $o)))
            (local.set $o (call $emit (local.get $e2) (i32.add (local.get $p) (i32.const 32))
              (local.get $len) (local.get $in) (local.get $o)))
            (local.set $o (call $emit (local.get $e3) (i32.add (local.get $p) (i32.const 48))
              (local.get $len) (local.get $in) (local.get $o)))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $steps)))
    (memory.copy (local.get $o) (i32.add (local.get $in) (global.get $run))
      (i32.sub (local.get $len) (global.get $run)))
    (i32.sub (i32.add (local.get $o) (i32.sub (local.get $len) (global.get $run))) (local.get $out)))

  ;; The first lane of edit mask $e (the block at window position $q) before $len, or -1.
  (func $first (param $e v128) (param $q i32) (param $len i32) (result i32)
    (local $mask i32) (local $rest i32)
    (local.set $rest (i32.sub (local.get $len) (local.get $q)))
    (if (i32.le_s (local.get $rest) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $mask (i8x16.bitmask (local.get $e)))
    (if (i32.lt_s (local.get $rest) (i32.const 16))
      (then (local.set $mask (i32.and (local.get $mask)
        (i32.sub (i32.shl (i32.const 1) (local.get $rest)) (i32.const 1))))))
    (if (i32.eqz (local.get $mask)) (then (return (i32.const -1))))
    (i32.add (local.get $q) (i32.ctz (local.get $mask))))

  (func (export "findBare") (param $in i32) (param $len i32) (result i32)
    (local $p i32) (local $a i32) (local $at i32)
    (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128)
    (local $kLf v128) (local $kCr v128)
    (local.set $kLf (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))
    (local.set $kCr (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))
    (block $done
      (loop $steps
        (br_if $done (i32.ge_s (local.get $p) (local.get $len)))
        (local.set $a (i32.add (local.get $in) (local.get $p)))
        ;; Block k: (in[i] == LF) xor (in[i-1] == CR) for its 16 lanes.
        (local.set $e0 (v128.xor (i8x16.eq (v128.load offset=0 (local.get $a)) (local.get $kLf))
          (i8x16.eq (v128.load offset=0 (i32.sub (local.get $a) (i32.const 1))) (local.get $kCr))))
        (local.set $e1 (v128.xor (i8x16.eq (v128.load offset=16 (local.get $a)) (local.get $kLf))
          (i8x16.eq (v128.load offset=15 (local.get $a)) (local.get $kCr))))
        (local.set $e2 (v128.xor (i8x16.eq (v128.load offset=32 (local.get $a)) (local.get $kLf))
          (i8x16.eq (v128.load offset=31 (local.get $a)) (local.get $kCr))))
        (local.set $e3 (v128.xor (i8x16.eq (v128.load offset=48 (local.get $a)) (local.get $kLf))
          (i8x16.eq (v128.load offset=47 (local.get $a)) (local.get $kCr))))
        (if (v128.any_true
              (v128.or (v128.or (local.get $e0) (local.get $e1)) (v128.or (local.get $e2) (local.get $e3))))
          (then
            (local.set $at (call $first (local.get $e0) (local.get $p) (local.get $len)))
            (if (i32.ge_s (local.get $at) (i32.const 0)) (then (return (local.get $at))))
            (local.set $at (call $first (local.get $e1) (i32.add (local.get $p) (i32.const 16)) (local.get $len)))
            (if (i32.ge_s (local.get $at) (i32.const 0)) (then (return (local.get $at))))
            (local.set $at (call $first (local.get $e2) (i32.add (local.get $p) (i32.const 32)) (local.get $len)))
            (if (i32.ge_s (local.get $at) (i32.const 0)) (then (return (local.get $at))))
            (local.set $at (call $first (local.get $e3) (i32.add (local.get $p) (i32.const 48)) (local.get $len)))
            (if (i32.ge_s (local.get $at) (i32.const 0)) (then (return (local.get $at))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $steps)))
    (i32.const -1)))
