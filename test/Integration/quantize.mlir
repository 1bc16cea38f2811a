// Quantize and dequantize, per tensor, run through slim-run and compared with
// test/Integration/ref.py (exact rational arithmetic, written from the ops'
// descriptions): ties under both rounding modes with an odd zero point (the
// zero point is added after rounding), saturation at both ends, NaN/Inf,
// 0.49999997, zero points at the ends of the range, and odd sizes (1, 3,
// 17, 127).
//
// RUN: %ref gen %t.ties.npy --ties 60 --tie-step 0.5 --specials --values=1e9,-1e9,64,-64,63.75,-64.25 --random 7 --range=-80,80
// RUN: slim-run %s -e ties --input %t.ties.npy --output %t.even.npy --output %t.away.npy --output %t.deq.npy
// RUN: %ref quantize --mlir %s --func ties --q result:0 --rounding even --input %t.ties.npy --output %t.even.npy --label even | FileCheck %s --check-prefix=CHECK-TIES-EVEN
// RUN: %ref quantize --mlir %s --func ties --q result:1 --rounding away --input %t.ties.npy --output %t.away.npy --label away | FileCheck %s --check-prefix=CHECK-TIES-AWAY
// RUN: %ref dequantize --mlir %s --func ties --q result:0 --input %t.even.npy --output %t.deq.npy --label deq | FileCheck %s --check-prefix=CHECK-DEQ
// CHECK-TIES-EVEN: even: 143 values, 0 mismatches
// CHECK-TIES-AWAY: away: 143 values, 0 mismatches
// CHECK-DEQ: deq: 143 values, 0 mismatches

// The IR that runs: both rounding modes, the NaN select, the saturating
// clamps.
// RUN: slim-opt %s --slim-lower-to-linalg-pipeline | FileCheck %s --check-prefix=CHECK-IR
// CHECK-IR-LABEL: func.func @ties(%{{.*}}: tensor<143xf32>) -> (tensor<143xi8>, tensor<143xi8>, tensor<143xf32>)
// CHECK-IR-DAG: math.roundeven
// CHECK-IR-DAG: math.round %
// CHECK-IR-DAG: arith.cmpf uno
// CHECK-IR-DAG: arith.maxsi
// CHECK-IR-DAG: arith.minsi

func.func @ties(%x: tensor<143xf32>) -> (tensor<143x!quant.uniform<i8:f32, 0.5:-3>>, tensor<143x!quant.uniform<i8:f32, 0.5:-3>>, tensor<143xf32>) {
  %e = slim.quantize %x : tensor<143xf32> to tensor<143x!quant.uniform<i8:f32, 0.5:-3>>
  %a = slim.quantize %x rounding<half_away_from_zero> : tensor<143xf32> to tensor<143x!quant.uniform<i8:f32, 0.5:-3>>
  %d = slim.dequantize %e : tensor<143x!quant.uniform<i8:f32, 0.5:-3>> to tensor<143xf32>
  return %e, %a, %d : tensor<143x!quant.uniform<i8:f32, 0.5:-3>>, tensor<143x!quant.uniform<i8:f32, 0.5:-3>>, tensor<143xf32>
}

// Zero points at the ends of the range: u8 with Z = 0 and Z = 255, i8 with
// Z = -128 and Z = 127, a narrow i8, and a scale that is not a power of two.
// RUN: %ref gen %t.ends.npy --shape 127 --specials --ties 20 --tie-step 0.1 --random 60 --range=-40,40 --seed 3
// RUN: slim-run %s -e ends --input %t.ends.npy --output %t.u0.npy --output %t.u255.npy --output %t.im128.npy --output %t.i127.npy --output %t.narrow.npy
// RUN: %ref quantize --mlir %s --func ends --q result:0 --input %t.ends.npy --output %t.u0.npy --label u8-z0 | FileCheck %s --check-prefix=CHECK-ENDS
// RUN: %ref quantize --mlir %s --func ends --q result:1 --input %t.ends.npy --output %t.u255.npy --label u8-z255 | FileCheck %s --check-prefix=CHECK-ENDS
// RUN: %ref quantize --mlir %s --func ends --q result:2 --input %t.ends.npy --output %t.im128.npy --label i8-zm128 | FileCheck %s --check-prefix=CHECK-ENDS
// RUN: %ref quantize --mlir %s --func ends --q result:3 --input %t.ends.npy --output %t.i127.npy --label i8-z127 | FileCheck %s --check-prefix=CHECK-ENDS
// RUN: %ref quantize --mlir %s --func ends --q result:4 --input %t.ends.npy --output %t.narrow.npy --label narrow | FileCheck %s --check-prefix=CHECK-ENDS
// CHECK-ENDS: : 127 values, 0 mismatches
// In the code that ran, the five quantizations are three nests: the ones
// that differ only in their scale, zero point and clamp bounds share one
// (slim-merge-similar-functions), each call passing its own values.
// RUN: slim-opt %s --slim-cpu-pipeline | FileCheck %s --check-prefix=CHECK-MERGED --implicit-check-not=@ends__nest3
// CHECK-MERGED-LABEL: llvm.func @ends(
// CHECK-MERGED-COUNT-2: llvm.call @ends__nest{{[01]}}(
// CHECK-MERGED: llvm.call @ends__nest2(
// CHECK-MERGED-COUNT-2: llvm.call @ends__nest{{[01]}}(
// CHECK-MERGED: llvm.return

func.func @ends(%x: tensor<127xf32>) -> (tensor<127x!quant.uniform<u8:f32, 0.1:0>>, tensor<127x!quant.uniform<u8:f32, 0.1:255>>, tensor<127x!quant.uniform<i8:f32, 0.3:-128>>, tensor<127x!quant.uniform<i8:f32, 0.3:127>>, tensor<127x!quant.uniform<i8<-127:127>:f32, 0.25>>) {
  %0 = slim.quantize %x : tensor<127xf32> to tensor<127x!quant.uniform<u8:f32, 0.1:0>>
  %1 = slim.quantize %x : tensor<127xf32> to tensor<127x!quant.uniform<u8:f32, 0.1:255>>
  %2 = slim.quantize %x : tensor<127xf32> to tensor<127x!quant.uniform<i8:f32, 0.3:-128>>
  %3 = slim.quantize %x : tensor<127xf32> to tensor<127x!quant.uniform<i8:f32, 0.3:127>>
  %4 = slim.quantize %x : tensor<127xf32> to tensor<127x!quant.uniform<i8<-127:127>:f32, 0.25>>
  return %0, %1, %2, %3, %4 : tensor<127x!quant.uniform<u8:f32, 0.1:0>>, tensor<127x!quant.uniform<u8:f32, 0.1:255>>, tensor<127x!quant.uniform<i8:f32, 0.3:-128>>, tensor<127x!quant.uniform<i8:f32, 0.3:127>>, tensor<127x!quant.uniform<i8<-127:127>:f32, 0.25>>
}

// Odd sizes 1, 3 and 17 with i16 and f16.
// RUN: %ref gen %t.one.npy --values=2.5
// RUN: %ref gen %t.three.npy --dtype float16 --values=-1.25,7.75,65504
// RUN: %ref gen %t.seventeen.npy --shape 17 --random 17 --range=-3000,3000
// RUN: slim-run %s -e small --input %t.one.npy --input %t.three.npy --input %t.seventeen.npy --output %t.o1.npy --output %t.o3.npy --output %t.o17.npy --output %t.d3.npy
// RUN: %ref quantize --mlir %s --func small --q result:0 --input %t.one.npy --output %t.o1.npy --label one | FileCheck %s --check-prefix=CHECK-ONE
// RUN: %ref quantize --mlir %s --func small --q result:1 --input %t.three.npy --output %t.o3.npy --label three | FileCheck %s --check-prefix=CHECK-THREE
// RUN: %ref quantize --mlir %s --func small --q result:2 --input %t.seventeen.npy --output %t.o17.npy --label seventeen | FileCheck %s --check-prefix=CHECK-SEVENTEEN
// RUN: %ref dequantize --mlir %s --func small --q result:1 --input %t.o3.npy --output %t.d3.npy --label f16 | FileCheck %s --check-prefix=CHECK-F16
// CHECK-ONE: one: 1 values, 0 mismatches
// CHECK-THREE: three: 3 values, 0 mismatches
// CHECK-SEVENTEEN: seventeen: 17 values, 0 mismatches
// CHECK-F16: f16: 3 values, 0 mismatches

func.func @small(%a: tensor<1xf32>, %b: tensor<3xf16>, %c: tensor<17xf32>) -> (tensor<1x!quant.uniform<i8:f32, 1.0:1>>, tensor<3x!quant.uniform<i16:f16, 0.5:-7>>, tensor<17x!quant.uniform<i16:f32, 0.07:100>>, tensor<3xf16>) {
  %0 = slim.quantize %a : tensor<1xf32> to tensor<1x!quant.uniform<i8:f32, 1.0:1>>
  %1 = slim.quantize %b : tensor<3xf16> to tensor<3x!quant.uniform<i16:f16, 0.5:-7>>
  %2 = slim.quantize %c : tensor<17xf32> to tensor<17x!quant.uniform<i16:f32, 0.07:100>>
  %3 = slim.dequantize %1 : tensor<3x!quant.uniform<i16:f16, 0.5:-7>> to tensor<3xf16>
  return %0, %1, %2, %3 : tensor<1x!quant.uniform<i8:f32, 1.0:1>>, tensor<3x!quant.uniform<i16:f16, 0.5:-7>>, tensor<17x!quant.uniform<i16:f32, 0.07:100>>, tensor<3xf16>
}

// Wide storage and bf16: i32 storage (computed in i64; 1e7 / 1e-3 saturates),
// u16 with its zero point at the top of the range, and a bf16 input
// (arith.truncf in the function; the reference narrows the same way) whose
// dequantized bf16 result is widened back to f32 for the .npy.
// RUN: %ref gen %t.wide.npy --shape 43 --specials --values=1e7,-1e7,2147483.5,-2147484.5,655.35,-655.36,1.0039062,0.3749,-0.6251 --ties 12 --tie-step 0.25 --seed 13
// RUN: slim-run %s -e wide --input %t.wide.npy --output %t.w32.npy --output %t.w16.npy --output %t.wb.npy --output %t.wbd.npy
// RUN: %ref quantize --mlir %s --func wide --q result:0 --input %t.wide.npy --output %t.w32.npy --label i32 | FileCheck %s --check-prefix=CHECK-WIDE32
// RUN: %ref quantize --mlir %s --func wide --q result:1 --input %t.wide.npy --output %t.w16.npy --label u16 | FileCheck %s --check-prefix=CHECK-WIDE16
// RUN: %ref quantize --mlir %s --func wide --q result:2 --input-format bf16 --input %t.wide.npy --output %t.wb.npy --label bf16 | FileCheck %s --check-prefix=CHECK-BF16
// RUN: %ref dequantize --mlir %s --func wide --q result:2 --input %t.wb.npy --output %t.wbd.npy --label bf16-deq | FileCheck %s --check-prefix=CHECK-BF16DEQ
// CHECK-WIDE32: i32: 43 values, 0 mismatches
// CHECK-WIDE16: u16: 43 values, 0 mismatches
// CHECK-BF16: bf16: 43 values, 0 mismatches
// CHECK-BF16DEQ: bf16-deq: 43 values, 0 mismatches

func.func @wide(%x: tensor<43xf32>) -> (tensor<43x!quant.uniform<i32:f32, 1.0e-3:7>>, tensor<43x!quant.uniform<u16:f32, 0.01:65535>>, tensor<43x!quant.uniform<i8:bf16, 0.25:-3>>, tensor<43xf32>) {
  %q32 = slim.quantize %x : tensor<43xf32> to tensor<43x!quant.uniform<i32:f32, 1.0e-3:7>>
  %q16 = slim.quantize %x : tensor<43xf32> to tensor<43x!quant.uniform<u16:f32, 0.01:65535>>
  %xb = arith.truncf %x : tensor<43xf32> to tensor<43xbf16>
  %qb = slim.quantize %xb : tensor<43xbf16> to tensor<43x!quant.uniform<i8:bf16, 0.25:-3>>
  %db = slim.dequantize %qb : tensor<43x!quant.uniform<i8:bf16, 0.25:-3>> to tensor<43xbf16>
  %dbf = arith.extf %db : tensor<43xbf16> to tensor<43xf32>
  return %q32, %q16, %qb, %dbf : tensor<43x!quant.uniform<i32:f32, 1.0e-3:7>>, tensor<43x!quant.uniform<u16:f32, 0.01:65535>>, tensor<43x!quant.uniform<i8:bf16, 0.25:-3>>, tensor<43xf32>
}
