// RUN: slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json method=percentile percentile=75 report=%t.report.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.report.json

// The report lists, per observer, what was observed, the range chosen, the
// parameters and the fraction of observed values the range clips: a's
// 75th percentile clips its largest value (3), one of four.
// CHECK-LABEL: func @report
// CHECK: slim.quantize
// CHECK-REPORT: "observers": [
// CHECK-REPORT: "clipped": 0.25,
// CHECK-REPORT-NEXT: "id": "a",
// CHECK-REPORT-NEXT: "method": "percentile",
// CHECK-REPORT-NEXT: "observed": [
// CHECK-REPORT-NEXT: -1,
// CHECK-REPORT-NEXT: 3
// CHECK-REPORT-NEXT: ],
// CHECK-REPORT-NEXT: "range": [
// CHECK-REPORT-NEXT: -1,
// CHECK-REPORT-NEXT: 1.001953125
// CHECK-REPORT-NEXT: ],
// CHECK-REPORT-NEXT: "samples": 1,
// CHECK-REPORT-NEXT: "scale": 0.0078507969155907631,
// CHECK-REPORT-NEXT: "zero_point": 127
// CHECK-REPORT: "pass": "slim-fold-calibration"
func.func @report(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %a = slim.observe %x id "a" : tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}
