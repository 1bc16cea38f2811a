"""Runs an ONNX model with onnxruntime (the reference implementation):
ort_run.py MODEL.onnx OUT.npy NAME=IN.npy..."""

import sys

import numpy as np
import onnxruntime as ort

model, out = sys.argv[1], sys.argv[2]
feeds = {}
for arg in sys.argv[3:]:
    name, path = arg.split("=", 1)
    feeds[name] = np.load(path)
session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
np.save(out, session.run(None, feeds)[0])
