package dev.rnn4j.data.fuzz;

import dev.rnn4j.cell.CellType;
import dev.rnn4j.io.ModelFileException;
import dev.rnn4j.io.onnx.OnnxCodec;
import dev.rnn4j.io.onnx.OnnxExport;
import dev.rnn4j.io.onnx.OnnxImport;
import dev.rnn4j.model.Head;
import dev.rnn4j.model.SequenceModel;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;

/**
 * Fuzzing of the ONNX reader (the protobuf codec, then the import's pattern matching): damaged copies of exported
 * models either import or fail with a {@link ModelFileException} naming the file, never another exception, a hang or
 * an allocation beyond the file's size.
 */
class OnnxFuzzTest {
    private static final byte[] LSTM = OnnxCodec.encode(OnnxExport.of(SequenceModel.builder().features(3).cell(CellType.LSTM).hiddenSize(4)
            .layers(2).bidirectional(true).head(Head.LAST_STEP).outputs(2).seed(3).build().recurrent(), OnnxExport.Options.defaults(), Map.of()));
    private static final byte[] GRU = OnnxCodec.encode(OnnxExport.of(SequenceModel.builder().features(2).cell(CellType.GRU).hiddenSize(3)
            .head(Head.LAST_STEP).outputs(1).seed(4).build().recurrent(), OnnxExport.Options.defaults().withBatchFirst(true), Map.of()));

    /**
     * ASCII bytes that protobuf gives meaning to (tags of each wire type for low field numbers, lengths) and ONNX's op
     * and attribute names; the mutations add edge integers and random bytes of their own.
     */
    private static final List<String> TOKENS = List.of("\u0008", "\u0012", "\u001a", "\"", "\u0028", "\u0030", "\u0038", "\u0042",
            "\u007f", "\u0005", "\u0000", "\u0001\u0001\u0001", "LSTM", "GRU", "RNN", "layout", "direction", "reverse", "hidden_size",
            "linear_before_reset", "clip", "Transpose", "Gemm");

    @Provide
    Arbitrary<byte[]> onnxFiles() {
        return ByteMutations.of(List.of(LSTM, GRU), TOKENS);
    }

    @Property
    void onnxModelsImportOrFailWithAModelFileException(@ForAll("onnxFiles") byte[] bytes) {
        ByteMutations.readsOrRejects(ModelFileException.class, "fuzz.onnx", bytes.length,
                () -> OnnxImport.of(OnnxCodec.decode("fuzz.onnx", bytes), "fuzz.onnx"));
    }
}
