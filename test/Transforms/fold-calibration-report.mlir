// RUN: slim-opt %s "-slim-fold-calibration=stats=%S/Inputs/stats.json method=percentile percentile=75 report=%t.report.json" | FileCheck %s
// RUN: FileCheck %s --check-prefix=CHECK-REPORT < %t.report.json
// RUN: %python -c "import json, sys; h = json.load(open(sys.argv[1]))['observers'][0]['histogram']; print(len(h['counts']), h['range'], [(i, c) for i, c in enumerate(h['counts']) if c])" %t.report.json | FileCheck %s --check-prefix=CHECK-HISTOGRAM

// The report lists, per observer, what was observed, the range chosen, the
// parameters and the fraction of observed values the range clips: a's
// 75th percentile clips its largest value (3), one of four.
// CHECK-LABEL: func @report
// CHECK: slim.quantize
// CHECK-REPORT: "observers": [
// CHECK-REPORT: "clipped": 0.25,
// CHECK-REPORT-NEXT: "histogram": {
// CHECK-REPORT: "id": "a",
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

// The histogram for the HTML report: 64 bins over the observed range
// [-1, 3] (width 1/16); a's values -1, 0, 1, 3 in bins 0, 16, 32 and 63.
// CHECK-HISTOGRAM: 64 [-1, 3] {{\[}}(0, 1), (16, 1), (32, 1), (63, 1)]
func.func @report(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %a = slim.observe %x id "a" : tensor<?x2xf32>
  return %a : tensor<?x2xf32>
}
