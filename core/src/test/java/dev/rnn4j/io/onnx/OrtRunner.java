package dev.rnn4j.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an exported model in onnxruntime: named FLOAT, INT32 and INT64 inputs in, every FLOAT output out. */
final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();

    OrtRunner(Onnx.Model model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        this.session = ENV.createSession(OnnxCodec.encode(model), options);
    }

    OrtRunner floats(String name, float[] values, long... shape) throws OrtException {
        inputs.put(name, OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape));
        return this;
    }

    OrtRunner ints(String name, int[] values, long... shape) throws OrtException {
        inputs.put(name, OnnxTensor.createTensor(ENV, IntBuffer.wrap(values), shape));
        return this;
    }

    OrtRunner longs(String name, long[] values, long... shape) throws OrtException {
        inputs.put(name, OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape));
        return this;
    }

    /** Runs the inputs given so far; the outputs by name, flattened. */
    Map<String, float[]> run() throws OrtException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(inputs)) {
            for (Map.Entry<String, OnnxValue> e : result) {
                FloatBuffer buffer = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] values = new float[buffer.remaining()];
                buffer.get(values);
                out.put(e.getKey(), values);
            }
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        for (OnnxTensor t : inputs.values()) t.close();
        session.close();
    }
}
