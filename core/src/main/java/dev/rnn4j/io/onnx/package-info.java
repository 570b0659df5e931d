/**
 * ONNX export and import: {@link dev.rnn4j.io.onnx.OnnxExport} writes networks and whole models as graphs of native
 * ONNX LSTM, GRU and RNN nodes for onnxruntime; {@link dev.rnn4j.io.onnx.OnnxImport} reads the recurrent layers of
 * ONNX files such as {@code torch.onnx.export} writes; {@link dev.rnn4j.io.onnx.OnnxCodec} is the hand-written
 * protobuf encoding of the part of ONNX they need ({@link dev.rnn4j.io.onnx.Onnx}), so core stays free of
 * dependencies. See docs/interchange.md.
 */
package dev.rnn4j.io.onnx;
