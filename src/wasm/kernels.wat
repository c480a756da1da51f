;; dw's numeric kernels: the inner loops of model fitting that V8 cannot make fast enough from
;; JavaScript (bounds checks on every typed-array access, no SIMD). Compiled to kernels.wasm by
;; scripts/buildWasm.mjs; loaded by src/wasm/kernels.ts, which lays the arrays out in the memory
;; this module imports. Every pointer is a byte offset into that memory; every count is elements.
;; Sums run in the same order as the JavaScript they replace where tests compare bit for bit
;; (histograms); dot products use two SIMD lanes and so may differ from a sequential sum in the
;; last bits.
(module
  (import "env" "memory" (memory 1))

  ;; gOrd[q] = g[idx[q]] and hOrd[q] = h[idx[q]] for q < m (h may be 0: no hessians): a node's
  ;; gradients in its sample order, so the histogram loops read them sequentially.
  (func (export "gather")
    (param $idx i32) (param $m i32) (param $g i32) (param $h i32) (param $gOrd i32) (param $hOrd i32)
    (local $q i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $m)))
        (local.set $s (i32.shl (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (i32.const 3)))
        (f64.store (i32.add (local.get $gOrd) (i32.shl (local.get $q) (i32.const 3))) (f64.load (i32.add (local.get $g) (local.get $s))))
        (if (local.get $h)
          (then (f64.store (i32.add (local.get $hOrd) (i32.shl (local.get $q) (i32.const 3))) (f64.load (i32.add (local.get $h) (local.get $s))))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next))))

  ;; out + q·stride ← the row of sample idx[q] (p bytes at rowBins + idx[q]·p), for q < m, eight
  ;; bytes at a time (stride is p rounded up to 8; the bytes past p are whatever follows the row).
  ;; A node's rows one after another: the histogram passes then read them in order, where
  ;; reading each pass's rows at scattered places costs two to three times as much.
  (func (export "gatherRows")
    (param $idx i32) (param $m i32) (param $rowBins i32) (param $p i32) (param $stride i32) (param $out i32)
    (local $q i32) (local $src i32) (local $dst i32) (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $m)))
        (local.set $src (i32.add (local.get $rowBins)
          (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p))))
        (local.set $dst (i32.add (local.get $out) (i32.mul (local.get $q) (local.get $stride))))
        (local.set $k (i32.const 0))
        (block $rowDone
          (loop $chunk
            (br_if $rowDone (i32.ge_u (local.get $k) (local.get $stride)))
            (i64.store (i32.add (local.get $dst) (local.get $k)) (i64.load (i32.add (local.get $src) (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 8)))
            (br $chunk)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next))))

  ;; Gradient histograms of features [f0, f1) over samples idx[0..m), from row-major u8 bins
  ;; (bin of feature f in row r at rowBins[r·p + f]). Feature f's histogram starts at element
  ;; off[f] of hist (f64) and holds (Σg, Σh, count) per bin. g[q], h[q] belong to sample idx[q].
  ;; Four features per pass over the samples; each bin adds its samples in sample order.
  (func (export "histGH")
    (param $hist i32) (param $off i32) (param $f0 i32) (param $f1 i32) (param $rowBins i32)
    (param $p i32) (param $idx i32) (param $m i32) (param $g i32) (param $h i32)
    (local $f i32) (local $q i32) (local $r i32) (local $a i32) (local $v v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local.set $f (local.get $f0))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.gt_s (i32.add (local.get $f) (i32.const 4)) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o1 (i32.add (local.get $hist) (i32.shl (i32.load offset=4 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o2 (i32.add (local.get $hist) (i32.shl (i32.load offset=8 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o3 (i32.add (local.get $hist) (i32.shl (i32.load offset=12 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $samplesDone
          (loop $sample
            (br_if $samplesDone (i32.ge_u (local.get $q) (local.get $m)))
            (local.set $r (i32.add (i32.add (local.get $rowBins) (local.get $f))
              (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p))))
            (local.set $v (f64x2.replace_lane 1
              (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $q) (i32.const 3)))))
              (f64.load (i32.add (local.get $h) (i32.shl (local.get $q) (i32.const 3))))))
            (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (local.get $r)) (i32.const 24))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
            (local.set $a (i32.add (local.get $o1) (i32.mul (i32.load8_u offset=1 (local.get $r)) (i32.const 24))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
            (local.set $a (i32.add (local.get $o2) (i32.mul (i32.load8_u offset=2 (local.get $r)) (i32.const 24))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
            (local.set $a (i32.add (local.get $o3) (i32.mul (i32.load8_u offset=3 (local.get $r)) (i32.const 24))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $sample)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $group)))
    ;; The remaining features, one per pass.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $f) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $samplesDone
          (loop $sample
            (br_if $samplesDone (i32.ge_u (local.get $q) (local.get $m)))
            (local.set $r (i32.add (i32.add (local.get $rowBins) (local.get $f))
              (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p))))
            (local.set $v (f64x2.replace_lane 1
              (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $q) (i32.const 3)))))
              (f64.load (i32.add (local.get $h) (i32.shl (local.get $q) (i32.const 3))))))
            (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (local.get $r)) (i32.const 24))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $sample)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $tail))))

  ;; As histGH without hessians: (Σg, count) per bin, one SIMD add of (g, 1) per feature.
  (func (export "histG")
    (param $hist i32) (param $off i32) (param $f0 i32) (param $f1 i32) (param $rowBins i32)
    (param $p i32) (param $idx i32) (param $m i32) (param $g i32)
    (local $f i32) (local $q i32) (local $r i32) (local $a i32) (local $v v128)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local.set $f (local.get $f0))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.gt_s (i32.add (local.get $f) (i32.const 4)) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o1 (i32.add (local.get $hist) (i32.shl (i32.load offset=4 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o2 (i32.add (local.get $hist) (i32.shl (i32.load offset=8 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o3 (i32.add (local.get $hist) (i32.shl (i32.load offset=12 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $samplesDone
          (loop $sample
            (br_if $samplesDone (i32.ge_u (local.get $q) (local.get $m)))
            (local.set $r (i32.add (i32.add (local.get $rowBins) (local.get $f))
              (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p))))
            (local.set $v (f64x2.replace_lane 1
              (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $q) (i32.const 3)))))
              (f64.const 1)))
            (local.set $a (i32.add (local.get $o0) (i32.shl (i32.load8_u (local.get $r)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (local.set $a (i32.add (local.get $o1) (i32.shl (i32.load8_u offset=1 (local.get $r)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (local.set $a (i32.add (local.get $o2) (i32.shl (i32.load8_u offset=2 (local.get $r)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (local.set $a (i32.add (local.get $o3) (i32.shl (i32.load8_u offset=3 (local.get $r)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $sample)))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $group)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $f) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $q (i32.const 0))
        (block $samplesDone
          (loop $sample
            (br_if $samplesDone (i32.ge_u (local.get $q) (local.get $m)))
            (local.set $r (i32.add (i32.add (local.get $rowBins) (local.get $f))
              (i32.mul (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))) (local.get $p))))
            (local.set $v (f64x2.replace_lane 1
              (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $q) (i32.const 3)))))
              (f64.const 1)))
            (local.set $a (i32.add (local.get $o0) (i32.shl (i32.load8_u (local.get $r)) (i32.const 4))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $sample)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $tail))))

  ;; The root's gradient sums: every row 0..n−1 in order, so no sample indices and no gather (g[i],
  ;; h[i] belong to row i), read from the column-major bins (`colBins`, feature f's n bins at
  ;; colBins + f·n: sequential loads), four features per pass. Adds (g, h) (or g alone when h
  ;; is 0) into records of C doubles per bin of features [f0, f1) and leaves their counts alone:
  ;; the caller starts from the root's counts, which are the same in every tree.
  (func (export "histRoot")
    (param $hist i32) (param $off i32) (param $f0 i32) (param $f1 i32) (param $colBins i32)
    (param $n i32) (param $g i32) (param $h i32) (param $C i32)
    (local $f i32) (local $i i32) (local $a i32) (local $v v128) (local $x f64) (local $stride i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $c0 i32) (local $c1 i32) (local $c2 i32) (local $c3 i32)
    (local.set $stride (i32.shl (local.get $C) (i32.const 3)))
    (local.set $f (local.get $f0))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.gt_s (i32.add (local.get $f) (i32.const 4)) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o1 (i32.add (local.get $hist) (i32.shl (i32.load offset=4 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o2 (i32.add (local.get $hist) (i32.shl (i32.load offset=8 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $o3 (i32.add (local.get $hist) (i32.shl (i32.load offset=12 (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $c0 (i32.add (local.get $colBins) (i32.mul (local.get $f) (local.get $n))))
        (local.set $c1 (i32.add (local.get $c0) (local.get $n)))
        (local.set $c2 (i32.add (local.get $c1) (local.get $n)))
        (local.set $c3 (i32.add (local.get $c2) (local.get $n)))
        (local.set $i (i32.const 0))
        (if (local.get $h)
          (then
            (block $rowsDone
              (loop $row
                (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $v (f64x2.replace_lane 1
                  (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
                  (f64.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3))))))
                (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i))) (local.get $stride))))
                (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
                (local.set $a (i32.add (local.get $o1) (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $i))) (local.get $stride))))
                (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
                (local.set $a (i32.add (local.get $o2) (i32.mul (i32.load8_u (i32.add (local.get $c2) (local.get $i))) (local.get $stride))))
                (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
                (local.set $a (i32.add (local.get $o3) (i32.mul (i32.load8_u (i32.add (local.get $c3) (local.get $i))) (local.get $stride))))
                (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $v)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $row))))
          (else
            (block $rowsDone
              (loop $row
                (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $x (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i))) (local.get $stride))))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $x)))
                (local.set $a (i32.add (local.get $o1) (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $i))) (local.get $stride))))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $x)))
                (local.set $a (i32.add (local.get $o2) (i32.mul (i32.load8_u (i32.add (local.get $c2) (local.get $i))) (local.get $stride))))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $x)))
                (local.set $a (i32.add (local.get $o3) (i32.mul (i32.load8_u (i32.add (local.get $c3) (local.get $i))) (local.get $stride))))
                (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $x)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $row)))))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $group)))
    ;; The remaining features, one per pass.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $f) (local.get $f1)))
        (local.set $o0 (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3))))
        (local.set $c0 (i32.add (local.get $colBins) (i32.mul (local.get $f) (local.get $n))))
        (local.set $i (i32.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
            (local.set $a (i32.add (local.get $o0) (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $i))) (local.get $stride))))
            (if (local.get $h)
              (then (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.replace_lane 1
                (f64x2.splat (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3)))))
                (f64.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3))))))))
              (else (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
                (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $tail))))

  ;; Stable partition of the node's samples idx[0..m) by their bin in `column` (u8, one feature's
  ;; bins, column-major: a column of 100,000 rows stays in L2 where rows would not): bin ≤ thr
  ;; first, in their order, then the rest, in theirs (through tmp). Returns how many went first.
  (func (export "partition")
    (param $idx i32) (param $m i32) (param $column i32) (param $thr i32) (param $tmp i32)
    (result i32)
    (local $q i32) (local $s i32) (local $l i32) (local $r i32) (local $left i32)
    ;; Branch-free: each sample is written to both sides and only the side it belongs to advances
    ;; (a split sends samples either way at random, which a branch predictor cannot guess).
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $m)))
        (local.set $s (i32.load (i32.add (local.get $idx) (i32.shl (local.get $q) (i32.const 2)))))
        (local.set $left (i32.le_u (i32.load8_u (i32.add (local.get $column) (local.get $s))) (local.get $thr)))
        (i32.store (i32.add (local.get $idx) (i32.shl (local.get $l) (i32.const 2))) (local.get $s))
        (i32.store (i32.add (local.get $tmp) (i32.shl (local.get $r) (i32.const 2))) (local.get $s))
        (local.set $l (i32.add (local.get $l) (local.get $left)))
        (local.set $r (i32.add (local.get $r) (i32.xor (local.get $left) (i32.const 1))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next)))
    (memory.copy (i32.add (local.get $idx) (i32.shl (local.get $l) (i32.const 2))) (local.get $tmp) (i32.shl (local.get $r) (i32.const 2)))
    (local.get $l))

  ;; The best split "bin ≤ b" of one feature's dense gradient histogram (nb bins of C doubles from
  ;; byte `hist`: Σg at 0, Σh at hIdx, the count at C − 1) for a node with totals G, H and m
  ;; samples, by the gain GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ), as growTree's scan in JavaScript
  ;; (same order of operations, same result). Writes gain, bin, GL, HL, nL and the number of
  ;; non-empty bins seen to out[0..5] (f64); bin −1 and gain −∞ when no split is allowed.
  (func $scanGH (export "scanGH")
    (param $hist i32) (param $nb i32) (param $C i32) (param $hIdx i32) (param $G f64) (param $H f64) (param $m f64)
    (param $lambda f64) (param $minLeaf f64) (param $minH f64) (param $out i32)
    (local $b i32) (local $base i32) (local $stride i32) (local $cnt f64) (local $nonEmpty i32)
    (local $GL f64) (local $HL f64) (local $nL f64) (local $nR f64) (local $HR f64) (local $GR f64)
    (local $gain f64) (local $parent f64) (local $best f64) (local $bestBin i32)
    (local $bGL f64) (local $bHL f64) (local $bnL f64) (local $cOff i32) (local $hOff i32) (local $lr v128) (local $q v128)
    (local.set $stride (i32.shl (local.get $C) (i32.const 3)))
    (local.set $cOff (i32.shl (i32.sub (local.get $C) (i32.const 1)) (i32.const 3)))
    (local.set $hOff (i32.shl (local.get $hIdx) (i32.const 3)))
    (local.set $parent (f64.div (f64.mul (local.get $G) (local.get $G)) (f64.add (local.get $H) (local.get $lambda))))
    (local.set $best (f64.const -inf))
    (local.set $bestBin (i32.const -1))
    (local.set $base (local.get $hist))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $b) (local.get $nb)))
        (local.set $cnt (f64.load (i32.add (local.get $base) (local.get $cOff))))
        (if (f64.ne (local.get $cnt) (f64.const 0))
          (then
            (local.set $nonEmpty (i32.add (local.get $nonEmpty) (i32.const 1)))
            (local.set $GL (f64.add (local.get $GL) (f64.load (local.get $base))))
            (local.set $HL (f64.add (local.get $HL) (f64.load (i32.add (local.get $base) (local.get $hOff)))))
            (local.set $nL (f64.add (local.get $nL) (local.get $cnt)))
            (local.set $nR (f64.sub (local.get $m) (local.get $nL)))
            (if (i32.eqz (i32.or (f64.lt (local.get $nL) (local.get $minLeaf)) (f64.lt (local.get $HL) (local.get $minH))))
              (then
                (br_if $done (f64.lt (local.get $nR) (local.get $minLeaf)))
                (local.set $HR (f64.sub (local.get $H) (local.get $HL)))
                (if (i32.eqz (f64.lt (local.get $HR) (local.get $minH)))
                  (then
                    (local.set $GR (f64.sub (local.get $G) (local.get $GL)))
                    ;; GL²/(HL+λ) and GR²/(HR+λ) in the two lanes of one division (each lane
                    ;; rounds as the scalar operations would), then added in the same order.
                    (local.set $q (f64x2.div
                      (f64x2.mul
                        (local.tee $lr (f64x2.replace_lane 1 (f64x2.splat (local.get $GL)) (local.get $GR)))
                        (local.get $lr))
                      (f64x2.add
                        (f64x2.replace_lane 1 (f64x2.splat (local.get $HL)) (local.get $HR))
                        (f64x2.splat (local.get $lambda)))))
                    (local.set $gain (f64.sub
                      (f64.add (f64x2.extract_lane 0 (local.get $q)) (f64x2.extract_lane 1 (local.get $q)))
                      (local.get $parent)))
                    (if (f64.gt (local.get $gain) (local.get $best))
                      (then
                        (local.set $best (local.get $gain))
                        (local.set $bestBin (local.get $b))
                        (local.set $bGL (local.get $GL))
                        (local.set $bHL (local.get $HL))
                        (local.set $bnL (local.get $nL))))))))))
        (local.set $base (i32.add (local.get $base) (local.get $stride)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $next)))
    (f64.store (local.get $out) (local.get $best))
    (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $bestBin)))
    (f64.store offset=16 (local.get $out) (local.get $bGL))
    (f64.store offset=24 (local.get $out) (local.get $bHL))
    (f64.store offset=32 (local.get $out) (local.get $bnL))
    (f64.store offset=40 (local.get $out) (f64.convert_i32_s (local.get $nonEmpty))))

  ;; The best split over features [f0, f1) of a node's dense gradient histograms (feature f's nb =
  ;; nBins[f] bins of C doubles from element off[f] of hist), as growTree picks it feature by
  ;; feature: each feature's best by scanGH (into out[6..11]), dropped unless its gain exceeds
  ;; 1e−12·|G²/(H+λ)| and its bin is below nb − 1, then kept when strictly greater than the best
  ;; so far (so among equal gains the first feature wins). Writes gain, feature, bin, GL, HL, nL to
  ;; out[0..5] (f64); feature −1 and gain −∞ when no feature splits. One call per node (or per
  ;; thread's share of the features) instead of one per feature.
  (func (export "scanFeatures")
    (param $hist i32) (param $off i32) (param $nBins i32) (param $f0 i32) (param $f1 i32) (param $C i32) (param $hIdx i32)
    (param $G f64) (param $H f64) (param $m f64) (param $lambda f64) (param $minLeaf f64) (param $minH f64) (param $out i32)
    (local $f i32) (local $nb i32) (local $gain f64) (local $bin f64) (local $floor f64) (local $best f64)
    (local.set $floor (f64.mul (f64.const 1e-12)
      (f64.abs (f64.div (f64.mul (local.get $G) (local.get $G)) (f64.add (local.get $H) (local.get $lambda))))))
    (local.set $best (f64.const -inf))
    (f64.store (local.get $out) (f64.const -inf))
    (f64.store offset=8 (local.get $out) (f64.const -1))
    (f64.store offset=16 (local.get $out) (f64.const -1))
    (local.set $f (local.get $f0))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $f) (local.get $f1)))
        (local.set $nb (i32.load (i32.add (local.get $nBins) (i32.shl (local.get $f) (i32.const 2)))))
        (call $scanGH
          (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $off) (i32.shl (local.get $f) (i32.const 2)))) (i32.const 3)))
          (local.get $nb) (local.get $C) (local.get $hIdx) (local.get $G) (local.get $H) (local.get $m)
          (local.get $lambda) (local.get $minLeaf) (local.get $minH) (i32.add (local.get $out) (i32.const 48)))
        (local.set $gain (f64.load offset=48 (local.get $out)))
        (local.set $bin (f64.load offset=56 (local.get $out)))
        (if (i32.and
              (i32.and (f64.gt (local.get $gain) (local.get $floor))
                       (f64.lt (local.get $bin) (f64.convert_i32_s (i32.sub (local.get $nb) (i32.const 1)))))
              (f64.gt (local.get $gain) (local.get $best)))
          (then
            (local.set $best (local.get $gain))
            (f64.store (local.get $out) (local.get $gain))
            (f64.store offset=8 (local.get $out) (f64.convert_i32_s (local.get $f)))
            (f64.store offset=16 (local.get $out) (local.get $bin))
            (f64.store offset=24 (local.get $out) (f64.load offset=64 (local.get $out)))
            (f64.store offset=32 (local.get $out) (f64.load offset=72 (local.get $out)))
            (f64.store offset=40 (local.get $out) (f64.load offset=80 (local.get $out)))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $next))))

  ;; out[i] = a[i] − b[i] for i < n (f64; n even or odd): a child's histograms as its parent's
  ;; minus its sibling's.
  (func (export "subtract") (param $out i32) (param $a i32) (param $b i32) (param $n i32)
    (local $i i32) (local $n2 i32)
    (local.set $n2 (i32.and (local.get $n) (i32.const -2)))
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $i) (local.get $n2)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64x2.sub (v128.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
                     (v128.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pair)))
    (if (i32.lt_u (local.get $i) (local.get $n))
      (then (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
        (f64.sub (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
                 (f64.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))))))))

  ;; e^x, computed as fdlibm's e_exp.c does (the algorithm V8's Math.exp uses, so the two agree
  ;; bit for bit): x = k·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high part exact in k·ln2hi and
  ;; a low part), e^r = 1 + r + r·c/(2 − c) with c = r − r²·P(r²) from a degree-5 Remez fit,
  ;; then 2^k put into the exponent. Exported for the test that compares it with Math.exp.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $hx i32) (local $neg i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $neg (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; |x| ≥ 709.78: NaN, ±∞, overflow or underflow.
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862E42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then
            (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (f64.const 0) (local.get $x) (local.get $neg)))))
        (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        ;; |x| > ln2/2: reduce.
        (if (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2))
          (then
            ;; |x| < 1.5·ln2: k = ±1 (and e^1 exactly as Math.E, which the reduction would miss by a bit).
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
            (if (local.get $neg)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $neg)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        ;; |x| < 2^-28: e^x rounds to 1 + x.
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
      (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
      (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
      (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    ;; y·2^k, through 2^(k+1000)·2^-1000 when 2^k is below the normal range, and 2·2^1023 for k = 1024.
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 8.98846567431158e+307)))))
        (return (f64.mul (local.get $y)
          (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (i32.const 0x3ff00000) (i32.shl (local.get $k) (i32.const 20)))) (i64.const 32)))))))
    (f64.mul (f64.mul (local.get $y)
      (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (i32.const 0x3ff00000) (i32.shl (i32.add (local.get $k) (i32.const 1000)) (i32.const 20)))) (i64.const 32))))
      (f64.const 9.33263618503218878990e-302)))

  ;; Gradients and hessians of the binary log-loss at raw scores z: p = σ(z) from one e^−|z|,
  ;; g = p − y, h = p·(1 − p), for i < n. The same operations as the JavaScript they replace.
  (func (export "logLossGradients") (param $raw i32) (param $y i32) (param $g i32) (param $h i32) (param $n i32)
    (local $i i32) (local $z f64) (local $e f64) (local $p f64) (local $a i32) (local $q v128)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $a (i32.shl (local.get $i) (i32.const 3)))
        (local.set $z (f64.load (i32.add (local.get $raw) (local.get $a))))
        (local.set $e (call $exp (f64.neg (f64.abs (local.get $z)))))
        ;; 1/(1 + e) and e/(1 + e) in one two-lane division (each lane rounds as a scalar one would).
        (local.set $q (f64x2.div
          (f64x2.replace_lane 1 (f64x2.splat (f64.const 1)) (local.get $e))
          (f64x2.splat (f64.add (f64.const 1) (local.get $e)))))
        (local.set $p (select
          (f64x2.extract_lane 0 (local.get $q))
          (f64x2.extract_lane 1 (local.get $q))
          (f64.ge (local.get $z) (f64.const 0))))
        (f64.store (i32.add (local.get $g) (local.get $a)) (f64.sub (local.get $p) (f64.load (i32.add (local.get $y) (local.get $a)))))
        (f64.store (i32.add (local.get $h) (local.get $a)) (f64.mul (local.get $p) (f64.sub (f64.const 1) (local.get $p))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Sorts a[0..n) (f64) ascending in place, in the order Float64Array.prototype.sort gives (−0
  ;; before +0, NaN last): least-significant-digit radix sort on a key that orders as the numbers
  ;; do (the sign bit flipped for positives, every bit for negatives), eight stable passes of one
  ;; byte through tmp (n more f64), skipping a byte every key shares. `counts` is 8·256 i32 of
  ;; scratch.
  (func (export "sortF64") (param $a i32) (param $n i32) (param $tmp i32) (param $counts i32)
    (local $i i32) (local $k i64) (local $pass i32) (local $src i32) (local $dst i32) (local $t i32)
    (local $shift i64) (local $c i32) (local $sum i32) (local $d i32) (local $at i32) (local $base i32)
    (memory.fill (local.get $counts) (i32.const 0) (i32.const 8192))
    ;; Keys in place, and the count of every byte of every key.
    (block $keysDone
      (loop $key
        (br_if $keysDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $k (i64.load (local.get $at)))
        (if (f64.ne (f64.load (local.get $at)) (f64.load (local.get $at)))
          (then (local.set $k (i64.const 0x7ff8000000000000))))
        (local.set $k (select
          (i64.xor (local.get $k) (i64.const -1))
          (i64.xor (local.get $k) (i64.const 0x8000000000000000))
          (i64.lt_s (local.get $k) (i64.const 0))))
        (i64.store (local.get $at) (local.get $k))
        (local.set $pass (i32.const 0))
        (block $bytesDone
          (loop $byte
            (br_if $bytesDone (i32.ge_u (local.get $pass) (i32.const 8)))
            (local.set $c (i32.add (local.get $counts) (i32.shl (i32.add (i32.shl (local.get $pass) (i32.const 8))
              (i32.wrap_i64 (i64.and (i64.shr_u (local.get $k) (i64.extend_i32_u (i32.shl (local.get $pass) (i32.const 3)))) (i64.const 255)))) (i32.const 2))))
            (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
            (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
            (br $byte)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $key)))
    (local.set $src (local.get $a))
    (local.set $dst (local.get $tmp))
    (local.set $pass (i32.const 0))
    (block $passesDone
      (loop $passLoop
        (br_if $passesDone (i32.ge_u (local.get $pass) (i32.const 8)))
        (local.set $shift (i64.extend_i32_u (i32.shl (local.get $pass) (i32.const 3))))
        (local.set $base (i32.add (local.get $counts) (i32.shl (local.get $pass) (i32.const 10))))
        ;; Skip a byte every key shares (n > 0 here only if a key exists).
        (if (i32.and (i32.gt_u (local.get $n) (i32.const 0))
              (i32.ne (i32.load (i32.add (local.get $base) (i32.shl
                (i32.wrap_i64 (i64.and (i64.shr_u (i64.load (local.get $src)) (local.get $shift)) (i64.const 255))) (i32.const 2))))
                (local.get $n)))
          (then
            ;; Counts to starting positions.
            (local.set $sum (i32.const 0))
            (local.set $d (i32.const 0))
            (block $prefixDone
              (loop $prefix
                (br_if $prefixDone (i32.ge_u (local.get $d) (i32.const 256)))
                (local.set $c (i32.add (local.get $base) (i32.shl (local.get $d) (i32.const 2))))
                (local.set $t (i32.load (local.get $c)))
                (i32.store (local.get $c) (local.get $sum))
                (local.set $sum (i32.add (local.get $sum) (local.get $t)))
                (local.set $d (i32.add (local.get $d) (i32.const 1)))
                (br $prefix)))
            (local.set $i (i32.const 0))
            (block $scatterDone
              (loop $scatter
                (br_if $scatterDone (i32.ge_u (local.get $i) (local.get $n)))
                (local.set $k (i64.load (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $c (i32.add (local.get $base) (i32.shl
                  (i32.wrap_i64 (i64.and (i64.shr_u (local.get $k) (local.get $shift)) (i64.const 255))) (i32.const 2))))
                (local.set $at (i32.load (local.get $c)))
                (i32.store (local.get $c) (i32.add (local.get $at) (i32.const 1)))
                (i64.store (i32.add (local.get $dst) (i32.shl (local.get $at) (i32.const 3))) (local.get $k))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $scatter)))
            (local.set $t (local.get $src))
            (local.set $src (local.get $dst))
            (local.set $dst (local.get $t))))
        (local.set $pass (i32.add (local.get $pass) (i32.const 1)))
        (br $passLoop)))
    (if (i32.ne (local.get $src) (local.get $a))
      (then (memory.copy (local.get $a) (local.get $src) (i32.shl (local.get $n) (i32.const 3)))))
    ;; Keys back to numbers.
    (local.set $i (i32.const 0))
    (block $backDone
      (loop $back
        (br_if $backDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $k (i64.load (local.get $at)))
        (i64.store (local.get $at) (select
          (i64.xor (local.get $k) (i64.const 0x8000000000000000))
          (i64.xor (local.get $k) (i64.const -1))
          (i64.lt_s (local.get $k) (i64.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $back))))

  ;; out[i] = the first b with x[i·stride] ≤ th[b], or nt (also for NaN), for i < n: each value's bin among nt
  ;; ascending thresholds, by a binary search without branches (select), which a predictor
  ;; cannot miss.
  (func (export "binValues") (param $x i32) (param $stride i32) (param $n i32) (param $th i32) (param $nt i32) (param $out i32)
    (local $i i32) (local $v f64) (local $lo i32) (local $len i32) (local $half i32) (local $right i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $v (f64.load (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $stride)) (i32.const 3)))))
        (local.set $lo (i32.const 0))
        (local.set $len (local.get $nt))
        (block $found
          (loop $search
            (br_if $found (i32.eqz (local.get $len)))
            (local.set $half (i32.shr_u (local.get $len) (i32.const 1)))
            ;; Not v ≤ th[lo + half]: the bin is to the right of it (NaN too: it goes last).
            (local.set $right (i32.eqz (f64.le (local.get $v) (f64.load (i32.add (local.get $th) (i32.shl (i32.add (local.get $lo) (local.get $half)) (i32.const 3)))))))
            (local.set $lo (select (i32.add (i32.add (local.get $lo) (local.get $half)) (i32.const 1)) (local.get $lo) (local.get $right)))
            (local.set $len (select (i32.sub (i32.sub (local.get $len) (local.get $half)) (i32.const 1)) (local.get $half) (local.get $right)))
            (br $search)))
        (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $lo))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; z[i] = b + Σⱼ X[i·p + j]·w[j] for the n rows of row-major X (f64).
  (func (export "matVec")
    (param $X i32) (param $n i32) (param $p i32) (param $w i32) (param $b f64) (param $z i32)
    (local $i i32) (local $j i32) (local $row i32) (local $acc0 v128) (local $acc1 v128) (local $s f64) (local $p4 i32)
    (local.set $p4 (i32.and (local.get $p) (i32.const -4)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $X) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
        (local.set $acc0 (v128.const f64x2 0 0))
        (local.set $acc1 (v128.const f64x2 0 0))
        (local.set $j (i32.const 0))
        (block $quadsDone
          (loop $quad
            (br_if $quadsDone (i32.ge_u (local.get $j) (local.get $p4)))
            (local.set $acc0 (f64x2.add (local.get $acc0)
              (f64x2.mul (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                         (v128.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $acc1 (f64x2.add (local.get $acc1)
              (f64x2.mul (v128.load offset=16 (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                         (v128.load offset=16 (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $quad)))
        (local.set $acc0 (f64x2.add (local.get $acc0) (local.get $acc1)))
        (local.set $s (f64.add (local.get $b)
          (f64.add (f64x2.extract_lane 0 (local.get $acc0)) (f64x2.extract_lane 1 (local.get $acc0)))))
        (block $restDone
          (loop $rest
            (br_if $restDone (i32.ge_u (local.get $j) (local.get $p)))
            (local.set $s (f64.add (local.get $s)
              (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                       (f64.load (i32.add (local.get $w) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $rest)))
        (f64.store (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))

  ;; out[j] += Σᵢ r[i]·X[i·p + j]: the transpose product, row by row (X is read once, in order).
  (func (export "matTVecAdd")
    (param $X i32) (param $n i32) (param $p i32) (param $r i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $rv v128) (local $rs f64) (local $a i32) (local $p2 i32)
    (local.set $p2 (i32.and (local.get $p) (i32.const -2)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $X) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
        (local.set $rs (f64.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $rv (f64x2.splat (local.get $rs)))
        (local.set $j (i32.const 0))
        (block $pairsDone
          (loop $pair
            (br_if $pairsDone (i32.ge_u (local.get $j) (local.get $p2)))
            (local.set $a (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a))
              (f64x2.mul (local.get $rv) (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pair)))
        (if (i32.lt_u (local.get $j) (local.get $p))
          (then
            (local.set $a (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
              (f64.mul (local.get $rs) (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))

  ;; out[j] += Σᵢ (X[i·p + j] − mu[j])²: with mu = 0, the column sums of squares; used with
  ;; matTVecAdd (r = 1) for column means and standard deviations.
  (func (export "colSqDev")
    (param $X i32) (param $n i32) (param $p i32) (param $mu i32) (param $out i32)
    (local $i i32) (local $j i32) (local $row i32) (local $d v128) (local $a i32) (local $p2 i32) (local $ds f64)
    (local.set $p2 (i32.and (local.get $p) (i32.const -2)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $row (i32.add (local.get $X) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
        (local.set $j (i32.const 0))
        (block $pairsDone
          (loop $pair
            (br_if $pairsDone (i32.ge_u (local.get $j) (local.get $p2)))
            (local.set $a (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $d (f64x2.sub (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                                     (v128.load (i32.add (local.get $mu) (i32.shl (local.get $j) (i32.const 3))))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.mul (local.get $d) (local.get $d))))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $pair)))
        (if (i32.lt_u (local.get $j) (local.get $p))
          (then
            (local.set $a (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $ds (f64.sub (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                                    (f64.load (i32.add (local.get $mu) (i32.shl (local.get $j) (i32.const 3))))))
            (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (f64.mul (local.get $ds) (local.get $ds))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop))))
)
