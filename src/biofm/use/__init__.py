"""Using a finished run: predict, evaluate, export to ONNX, benchmark."""
