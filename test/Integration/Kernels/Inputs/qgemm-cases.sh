#!/bin/sh
# The int8 micro-kernel cases every ISA runs (test/Integration/Kernels/*.test):
# slim.qmatmul with a constant weight (packed at compile time) through
# slim-run --isa ISA, each result compared bit for bit with the integer
# formula recomputed by ref.py. Odd sizes along M, K and N (1, 3, 17, 67,
# 127, 259, 4097), activation zero points at both range ends, full-range
# and extreme weights, a weight zero point (the row-sum epilogue).
#   qgemm-cases.sh ISA TMPDIR "REF" SLIM_RUN
set -e
isa=$1 dir=$2 ref=$3 run=$4
mkdir -p "$dir"
# Pruned weights (sp-*: 2:4 by magnitude along K, or 75% unstructured) are
# packed in the sparse form (slim-run --sparse-weights=always, whatever
# auto would choose on this host) and run by the ISA's sparse path: the
# fused vpexpandb kernel, AMX's rebuilt slices, or chunks rebuilt for the
# dense kernels.
# label M K N lhs-dtype lhs-type weight-type lhs-fill weight-fill
while read -r label m k n dtype lhs wt afill wfill; do
  if [ "$dtype" = uint8 ]; then lo=0 hi=255; else lo=-128 hi=127; fi
  fa=""; [ "$afill" = - ] || fa="--fill=$afill"
  fw=""; [ "$wfill" = - ] || fw="--fill=$wfill"
  $ref gen "$dir/$label.a.npy" --dtype "$dtype" --shape "$m,$k" --values="$lo,$hi" --range="$lo,$hi" --seed "$m$k" $fa
  $ref gen "$dir/$label.w.npy" --dtype int8 --shape "$k,$n" --values=-128,127 --range=-128,127 --seed "$k$n" $fw
  sparse=""
  case $label in
    sp-24-*) $ref prune --w "$dir/$label.w.npy" --output "$dir/$label.w.npy" --pattern nm >/dev/null;;
    sp-75-*) $ref prune --w "$dir/$label.w.npy" --output "$dir/$label.w.npy" --pattern unstructured --sparsity 0.75 >/dev/null;;
  esac
  case $label in sp-*) sparse=--sparse-weights=always;; esac
  $ref constant-qmatmul "$dir/$label.mlir" --weights "$dir/$label.w.npy" --lhs-type "$lhs" --weight-type "$wt"
  $run "$dir/$label.mlir" --isa "$isa" $sparse --input "$dir/$label.a.npy" --output "$dir/$label.acc.npy"
  $ref qmatmul --mlir "$dir/$label.mlir" --func types --lhs "$dir/$label.a.npy" --rhs "$dir/$label.w.npy" --output "$dir/$label.acc.npy" --label "$isa $label"
done <<'CASES'
gemv 1 67 4097 uint8 u8:f32,0.5:255 i8:f32,0.25 - -
tall 127 67 3 int8 i8:f32,0.5:-128 i8:f32,0.25 - -
deep 17 4097 33 uint8 u8:f32,0.5:128 i8:f32,0.25:-3 - -
tiny 3 1 17 int8 i8:f32,0.5:127 i8:f32,0.25 - -
low 5 259 20 int8 i8:f32,0.5 i8:f32,0.25 -128 -128
high 33 259 20 uint8 u8:f32,0.5 i8:f32,0.25 255 127
sp-24-gemv 1 68 4097 uint8 u8:f32,0.5:255 i8:f32,0.25 - -
sp-24-rows 37 260 67 int8 i8:f32,0.5:-128 i8:f32,0.25 - -
sp-24-amx 300 772 40 uint8 u8:f32,0.5:128 i8:f32,0.25:-3 - -
sp-75-rows 19 131 33 int8 i8:f32,0.5:127 i8:f32,0.25 - -
CASES
# Both operands activations (slim.activation_matmul): the functions of
# Inputs/activation-qmatmul.mlir, full-range operands.
# label func a-dtype a-shape b-dtype b-shape
acts=$(dirname "$0")/activation-qmatmul.mlir
while read -r label func adt ashape bdt bshape; do
  for side in a b; do
    if [ $side = a ]; then dt=$adt shape=$ashape seed=7; else dt=$bdt shape=$bshape seed=8; fi
    if [ "$dt" = uint8 ]; then lo=0 hi=255; else lo=-128 hi=127; fi
    $ref gen "$dir/$label.$side.npy" --dtype "$dt" --shape "$shape" --values="$lo,$hi" --range="$lo,$hi" --seed "$seed"
  done
  $run "$acts" -e "$func" --isa "$isa" --input "$dir/$label.a.npy" --input "$dir/$label.b.npy" --output "$dir/$label.acc.npy"
  $ref qmatmul --mlir "$acts" --func "$func" --lhs "$dir/$label.a.npy" --rhs "$dir/$label.b.npy" --output "$dir/$label.acc.npy" --label "$isa $label"
done <<'CASES'
act-qk qk uint8 3,17,67 uint8 3,67,33
act-pv pv int8 2,127,5 int8 2,5,17
act-row row uint8 1,259 int8 259,20
CASES
# Dynamic quantization (slim.dynamic_qmatmul by a constant weight: one
# slim_uk_dqgemm call), against the op's formulas in ref.py: per tensor
# with NaN in the input, per row with a weight zero point.
# label M K N per-row weight-type
while read -r label m k n rows wt; do
  $ref gen "$dir/$label.x.npy" --shape "$m,$k" --values=nan,-7.5,0.25 --random $((m * k - 3)) --range=-6,9 --seed "$m$k"
  $ref gen "$dir/$label.w.npy" --dtype int8 --shape "$k,$n" --values=-128,127 --range=-128,127 --seed "$k$n"
  pr=""; [ "$rows" = rows ] && pr=--per-row
  $ref constant-qmatmul "$dir/$label.mlir" --dynamic $pr --weights "$dir/$label.w.npy" --lhs-type u8:f32,1.0 --weight-type "$wt"
  $run "$dir/$label.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  scale=${wt#*,}; scale=${scale%%:*}; zp=0; case "$wt" in *,*:*) zp=${wt##*:};; esac
  $ref dynamic-matmul $pr --x "$dir/$label.x.npy" --w "$dir/$label.w.npy" --w-scales "$scale" --w-zps "$zp" --output "$dir/$label.y.npy" --label "$isa $label" | grep values
done <<'CASES'
dyn-gemv 1 67 4097 - i8:f32,0.25
dyn-rows 127 259 20 rows i8:f32,0.125:-3
CASES
# Weight-only (slim.dequant_matmul: int4 in groups of 7 (K = 259) and 32,
# int8 per column; one row, the registers' path, and 9 and 17 rows, the
# scratch path): bit for bit against the same module lowered without the
# kernel (slim.unpack + slim.dequantize + the vectorized f32 matmul).
# label M K N options
opt=$(dirname "$run")/slim-opt
while read -r label m k n opts; do
  opts=$(echo "$opts" | tr ':' ' ')
  $ref gen "$dir/$label.x.npy" --shape "$m,$k" --range=-2,2 --seed "$m$k"
  $ref gen "$dir/$label.w.npy" --shape "$k,$n" --range=-1,1 --seed "$k$n"
  $ref constant-matmul "$dir/$label.f.mlir" --weights "$dir/$label.w.npy"
  $opt "$dir/$label.f.mlir" "--slim-weight-only=$opts" -o "$dir/$label.mlir" 2>/dev/null
  $opt "$dir/$label.mlir" --slim-lower-to-linalg-pipeline -o "$dir/$label.plain.mlir"
  $run "$dir/$label.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  $run "$dir/$label.plain.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.plain.npy"
  $ref same "$dir/$label.y.npy" "$dir/$label.plain.npy" --label "$isa $label"
done <<'CASES'
wo4-gemv 1 259 67 bits=4:granularity=group:group-size=7
wo4-rows 9 96 40 bits=4:granularity=group:group-size=32
wo8-rows 17 130 33 bits=8:granularity=channel
CASES
# Weight-only int4 with int8 activations (slim-run
# --weight-only-activations=int8: slim.dequant_matmul int8_activations), bit
# for bit against ref.py wo-int8-matmul (the op's stated arithmetic): groups
# of 32 with ties to even in the first group, groups of 8 with a zero row,
# one group per column (K = 67, padded) with a NaN row; zero points -8 and 7.
# label M K N group gen-options
while read -r label m k n group genopts; do
  genopts=$(echo "$genopts" | tr ':' ' ')
  $ref gen "$dir/$label.q.npy" --dtype int8 --shape "$k,$n" --values=-8,7 --range=-8,7 --seed "$k$n"
  $ref gen "$dir/$label.x.npy" --shape "$m,$k" --range=-3,3 --seed "$m$k" $genopts
  $ref constant-wo-matmul "$dir/$label.mlir" --q "$dir/$label.q.npy" --group "$group"
  $run "$dir/$label.mlir" --isa "$isa" --weight-only-activations=int8 --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  $ref wo-int8-matmul --mlir "$dir/$label.mlir" --x "$dir/$label.x.npy" --q "$dir/$label.q.npy" --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
woi8-gemv 1 256 67 32 --values=127,63.5,0.5,-2.5,0,1.5,-127
woi8-rows 9 40 70 8 --row-values=0
woi8-channel 3 67 33 0 --values=nan
CASES
# f32 convolutions (slim.packed_conv2d: im2col blocks on the f32 kernel),
# bit for bit against one fma chain per output in linalg's tap order:
# NCHW 3 x 3 (two pixel blocks), NHWC with stride 2 and a 1 x 1, NCHW
# dilated; depthwise (taps (kh, kw) of each channel): NCHW stride 2 over
# 70 columns (the even-lane loads and the row's end), NHWC 19 channels (a
# partial vector) with dilation 2, NCHW stride 1 (straight row loads, 73
# columns: 64 + a tail).
# label input-shape filter-shape strides dilations layout [depthwise]
while read -r label xs fs st dl layout dw; do
  lo=""; [ "$layout" = nhwc ] && lo=--nhwc
  [ "$dw" = depthwise ] && lo="$lo --depthwise"
  $ref gen "$dir/$label.x.npy" --shape "$xs" --range=-2,2 --seed 71
  $ref gen "$dir/$label.f.npy" --shape "$fs" --range=-1,1 --seed 72
  $ref constant-conv "$dir/$label.mlir" $lo --filter "$dir/$label.f.npy" --input-shape "$xs" --strides "$st" --dilations "$dl"
  $run "$dir/$label.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  $ref conv2d $lo --x "$dir/$label.x.npy" --filter "$dir/$label.f.npy" --strides "$st" --dilations "$dl" --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
conv-nchw 2,3,11,10 5,3,3,3 1,1 1,1 nchw
conv-nhwc 1,9,9,4 3,3,4,17 2,2 1,1 nhwc
conv-1x1 1,5,5,6 1,1,6,7 1,1 1,1 nhwc
conv-dilated 1,2,9,9 3,2,3,2 1,1 2,2 nchw
conv-dw-nchw 2,3,9,70 3,3,3 2,2 1,1 nchw depthwise
conv-dw-nhwc 1,11,12,19 3,3,19 1,1 2,2 nhwc depthwise
conv-dw-s1 1,4,10,75 4,3,3 1,1 1,1 nchw depthwise
CASES
# int8 convolutions (slim.qconv2d by a constant filter: slim.packed_conv2d
# int8, im2col blocks on the int8 GEMM kernel, or the depthwise loops), bit
# for bit against the integer formula: NCHW 3 x 3 with strides, dilations,
# uneven padding filled with a u8 zero point near the top and a bias
# (int32 extremes); NHWC with a signed input at -128; NCHW 1 x 1 over 300
# pixels (AMX: a 256-pixel block and a tail) and over a 7 x 7 plane of 24
# channels (the flattened-pixel transposition: a 16-channel block and 8
# more, three 16-pixel blocks and one more); depthwise NCHW (stride 2, 70
# columns, per-channel scales: the four-phase split of an odd padded
# width; stride 2 over a 132 x 131 padded plane, too large for that split;
# stride 1 over 13 rows of 152 padded columns, more lanes than one flat
# run holds; stride 1 with a row dilation of 2) and NHWC (19 channels,
# dilation 2, input zero point 127); grouped NCHW (3 groups of 2 channels
# and 3 filters) and NHWC (4 groups of 2 channels and 3 filters, column
# dilation 2), and 1 x 1 grouped layers (ShuffleNet's pointwise form; u8
# NCHW, and s8 NHWC, shifted by 128 where the ISA's kernel needs it): one
# kernel call whose groups each read their channels of the padded copy.
# label input-shape filter-shape filters x-type w-type strides dilations
# padding layout ("_" stands for a space in types, ":" between options, "-"
# for none)
while read -r label xs fs f xt wt st dl pd lo; do
  xt=$(echo "$xt" | tr '_' ' '); wt=$(echo "$wt" | tr '_' ' ')
  if [ "$lo" = - ]; then lo=""; else lo=$(echo "$lo" | tr ':' ' '); fi
  case "$xt" in u8*) dt=uint8 r=0,255;; *) dt=int8 r=-128,127;; esac
  $ref gen "$dir/$label.x.npy" --dtype "$dt" --shape "$xs" --values="$r" --range="$r" --seed 81
  $ref gen "$dir/$label.w.npy" --dtype int8 --shape "$fs" --values=-128,127 --range=-128,127 --seed 82
  $ref gen "$dir/$label.b.npy" --dtype int32 --shape "$f" --values=2147483647,-2147483648,0,-5 --range=-100000,100000 --seed 83
  $ref constant-qconv2d "$dir/$label.mlir" --w "$dir/$label.w.npy" --bias "$dir/$label.b.npy" --input-shape "$xs" --x-type "$xt" --w-type "$wt" --strides "$st" --dilations "$dl" --padding "$pd" $lo
  $run "$dir/$label.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  $ref qconv2d $lo --mlir "$dir/$label.mlir" --func types --x "$dir/$label.x.npy" --w "$dir/$label.w.npy" --bias "$dir/$label.b.npy" --strides "$st" --dilations "$dl" --padding "$pd" --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
qconv-nchw 2,3,11,10 5,3,3,3 5 u8:f32,_0.5:200 i8:f32,_0.25 2,1 1,2 1,0,2,1 -
qconv-nhwc 1,9,9,4 3,3,4,17 17 i8:f32,_0.5:-128 i8:f32:3,_{0.25,0.5,1.0,0.25,0.5,1.0,0.25,0.5,1.0,0.25,0.5,1.0,0.25,0.5,1.0,0.25,0.5} 2,2 1,1 1,1,1,1 --nhwc
qconv-1x1 1,19,15,20 40,19,1,1 40 u8:f32,_0.5:0 i8:f32,_0.25 1,1 1,1 0,0,0,0 -
qconv-dw-nchw 2,3,9,70 3,3,3 3 u8:f32,_0.5:255 i8:f32:0,_{0.25,0.5,1.0} 2,2 1,1 1,1,0,0 --depthwise
qconv-dw-nhwc 1,11,12,19 3,3,19 19 i8:f32,_0.5:127 i8:f32,_0.25 1,1 2,2 2,2,2,2 --nhwc:--depthwise
qconv-dw-s1 1,5,13,150 5,3,3 5 u8:f32,_0.5:3 i8:f32:0,_{0.25,0.5,1.0,0.25,0.5} 1,1 1,1 1,1,1,1 --depthwise
qconv-dw-s1-dil 1,3,9,11 3,3,3 3 i8:f32,_0.5:-3 i8:f32,_0.25 1,1 2,1 2,1,2,1 --depthwise
qconv-dw-big 1,2,130,129 2,3,3 2 i8:f32,_0.5:-3 i8:f32,_0.25 2,2 1,1 1,1,1,1 --depthwise
qconv-1x1-7 1,24,7,7 32,24,1,1 32 u8:f32,_0.5:0 i8:f32,_0.25 1,1 1,1 0,0,0,0 -
qconv-grp-nchw 2,6,11,9 9,2,3,3 9 u8:f32,_0.5:200 i8:f32,_0.25 2,1 1,1 1,0,2,1 --groups:3
qconv-grp-nhwc 1,9,9,8 3,3,2,12 12 i8:f32,_0.5:-128 i8:f32,_0.25 1,1 1,2 1,2,1,2 --nhwc:--groups:4
qconv-grp-1x1 1,12,7,9 8,3,1,1 8 u8:f32,_0.5:3 i8:f32,_0.25 1,1 1,1 0,0,0,0 --groups:4
qconv-grp-1x1-s8 1,7,9,12 1,1,3,8 8 i8:f32,_0.5:-5 i8:f32,_0.25 1,1 1,1 0,0,0,0 --nhwc:--groups:4
CASES
# slim.qconv2d + slim.requantize (fixed point), which slim-pack-contractions
# fuses into the kernel (bytes out, the int32 sums never stored): bit for
# bit against ref.py requantize applied to the unfused module's
# accumulator (itself checked above): a u8 output clamped inside its range
# (multipliers below 1), an s8 NHWC output with multipliers above 1 (the
# saturating left shift), depthwise NCHW with per-channel scales (stride 2,
# and stride 1 over planes longer than one flat run), and an NCHW 1 x 1
# layer of 40 filters over 63 pixels (bytes transposed into the planes 16
# x 16 at a time, then the rest), and a grouped layer (2 groups, each with
# its own slice of the per-channel multipliers).
# label input-shape filter-shape x-type w-type strides padding out-type clamp layout
while read -r label xs fs xt wt st pd ot cl lo; do
  xt=$(echo "$xt" | tr '_' ' '); wt=$(echo "$wt" | tr '_' ' '); ot=$(echo "$ot" | tr '_' ' ')
  if [ "$lo" = - ]; then lo=""; else lo=$(echo "$lo" | tr ':' ' '); fi
  case "$xt" in u8*) dt=uint8 r=0,255;; *) dt=int8 r=-128,127;; esac
  $ref gen "$dir/$label.x.npy" --dtype "$dt" --shape "$xs" --values="$r" --range="$r" --seed 84
  $ref gen "$dir/$label.w.npy" --dtype int8 --shape "$fs" --values=-128,127 --range=-128,127 --seed 85
  $ref constant-qconv2d "$dir/$label.acc.mlir" --w "$dir/$label.w.npy" --input-shape "$xs" --x-type "$xt" --w-type "$wt" --strides "$st" --padding "$pd" $lo
  $ref constant-qconv2d "$dir/$label.mlir" --w "$dir/$label.w.npy" --input-shape "$xs" --x-type "$xt" --w-type "$wt" --strides "$st" --padding "$pd" --out-type "$ot" --clamp="$cl" $lo
  $run "$dir/$label.acc.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.acc.npy"
  $run "$dir/$label.mlir" --isa "$isa" --input "$dir/$label.x.npy" --output "$dir/$label.y.npy"
  $ref requantize --mlir "$dir/$label.mlir" --func types --qin arg:2 --qout arg:3 --clamp="$cl" --input "$dir/$label.acc.npy" --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
rq-nchw 2,3,11,10 5,3,3,3 u8:f32,_0.5:200 i8:f32:0,_{0.25,0.5,1.0,2.0,0.125} 2,1 1,0,2,1 u8:f32,_3.0:7 7,250 -
rq-nhwc 1,9,9,20 3,3,20,17 i8:f32,_0.5:-128 i8:f32,_0.25 2,2 1,1,1,1 i8:f32,_0.001:-5 -128,127 --nhwc
rq-dw 2,19,9,70 19,3,3 u8:f32,_0.5:255 i8:f32,_0.25 2,2 1,1,0,0 u8:f32,_200.0:0 0,255 --depthwise
rq-dw-s1 1,7,12,100 7,3,3 u8:f32,_0.5:255 i8:f32,_0.25 1,1 1,1,1,1 u8:f32,_150.0:0 0,255 --depthwise
rq-nchw-1x1 1,24,7,9 40,24,1,1 u8:f32,_0.5:3 i8:f32,_0.25 1,1 0,0,0,0 u8:f32,_50.0:7 0,255 -
rq-grp 1,8,9,7 6,4,3,3 u8:f32,_0.5:3 i8:f32:0,_{0.25,0.5,1.0,2.0,0.125,0.0625} 1,1 1,1,1,1 u8:f32,_50.0:7 0,255 --groups:2
CASES
# The f32 kernels: linalg.matmul by a constant f32 weight, bit for bit
# against one fma chain per element in k order (ref.py matmul --fma); K
# crosses the kernels' 1024-deep blocks; a bias add fused into the kernel.
# f32-blk-*: the weight pruned in blocks of 4 k x 16 columns (ref.py prune,
# magnitude), which slim-pack-contractions stores row-compressed
# (sparse-weights=auto: half of the panel rows or more are zeros); the
# kernels skip those rows, the reference keeps them (with these finite
# inputs the terms are exact zeros). f32-24-*: pruned to 2:4 (nm), stored
# with lane masks (sparse-weights=always: every ISA expands them).
# label M K N bias block-sparsity|nm
while read -r label m k n bias blocks; do
  $ref gen "$dir/$label.a.npy" --shape "$m,$k" --range=-2,2 --seed "$m$k"
  $ref gen "$dir/$label.w.npy" --shape "$k,$n" --range=-2,2 --seed "$k$n"
  sparse=""
  if [ "$blocks" = nm ]; then
    $ref prune --w "$dir/$label.w.npy" --output "$dir/$label.w.npy" >/dev/null
    sparse="--sparse-weights=always"
  elif [ "$blocks" != - ]; then
    $ref prune --w "$dir/$label.w.npy" --output "$dir/$label.w.npy" --pattern block --block 4x16 --sparsity "$blocks" >/dev/null
  fi
  b=""
  if [ "$bias" = bias ]; then
    $ref gen "$dir/$label.b.npy" --shape "$n" --range=-2,2 --seed "$n"
    b="--bias $dir/$label.b.npy"
  fi
  $ref constant-matmul "$dir/$label.mlir" --weights "$dir/$label.w.npy" $b
  $run "$dir/$label.mlir" --isa "$isa" $sparse --input "$dir/$label.a.npy" --output "$dir/$label.y.npy"
  $ref matmul --fma --lhs "$dir/$label.a.npy" --rhs "$dir/$label.w.npy" $b --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
f32-gemv 1 67 257 - -
f32-rows 19 13 37 - -
f32-deep 3 1100 17 - -
f32-bias 5 1100 17 bias -
f32-blk-gemv 1 68 64 - 0.5
f32-blk-rows 21 1100 48 bias 0.8
f32-24-gemv 1 68 40 - nm
f32-24-rows 17 1100 33 bias nm
CASES
# One-bit weights (slim.sign_matmul, OneBit's form), bit for bit against
# ref.py sign-check (the op's stated arithmetic: one fma chain per element
# over W = +-scales): the register tiles and their remainders, the scratch
# path (more than 4 rows off AVX-512), a partial last panel, K past the
# scratch's 512-deep blocks, a bias, accumulation into an init argument, a
# batch (rank 3), and activations with NaN, infinities, -0, 3e38 (chains
# that overflow) and the smallest subnormal.
# label shape(x) K N options
while read -r label shape k n opts; do
  $ref gen "$dir/$label.w.npy" --shape "$k,$n" --range=-1,1 --seed "$k$n"
  $ref gen "$dir/$label.s.npy" --shape "$n" --range=0.01,2 --seed "$n"
  mod="" chk="" x=""
  case $opts in *bias*)
    $ref gen "$dir/$label.b.npy" --shape "$n" --range=-1,1 --seed "$k"
    mod="--bias $dir/$label.b.npy" chk="--bias $dir/$label.b.npy";;
  esac
  case $opts in
    *specials*) $ref gen "$dir/$label.x.npy" --shape "$shape,$k" --specials --range=-4,4 --seed 9;;
    *extremes*) $ref gen "$dir/$label.x.npy" --shape "$shape,$k" --row-values=0,-0,3e38,-3e38,1e-45 ;;
    *) $ref gen "$dir/$label.x.npy" --shape "$shape,$k" --range=-4,4 --seed 9;;
  esac
  inputs="--input $dir/$label.x.npy"
  case $opts in *acc*)
    $ref gen "$dir/$label.c.npy" --shape "$shape,$n" --range=-3,3 --seed 11
    mod="$mod --accumulate" chk="$chk --init $dir/$label.c.npy"
    inputs="$inputs --input $dir/$label.c.npy";;
  esac
  case $opts in *rank3*) mod="$mod --rank3";; esac
  $ref sign-module "$dir/$label.mlir" --w "$dir/$label.w.npy" --scales "$dir/$label.s.npy" $mod
  $run "$dir/$label.mlir" --isa "$isa" $inputs --output "$dir/$label.y.npy"
  $ref sign-check --x "$dir/$label.x.npy" --w "$dir/$label.w.npy" --scales "$dir/$label.s.npy" $chk --output "$dir/$label.y.npy" --label "$isa $label"
done <<'CASES'
sign-gemv 1 1100 257 bias
sign-two 2 67 70 -
sign-rows 19 37 21 -
sign-specials 7 37 21 specials
sign-extremes 5 37 33 extremes
sign-acc 9 64 40 bias,acc
sign-batch 2,3 37 21 rank3
CASES
