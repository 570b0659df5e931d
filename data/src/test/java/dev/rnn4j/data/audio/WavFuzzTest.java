package dev.rnn4j.data.audio;

import dev.rnn4j.data.DataFileException;
import dev.rnn4j.data.fuzz.ByteMutations;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

/** Fuzzing of {@link WavFile}: damaged WAV files either read or fail with a {@link DataFileException} naming the file. */
class WavFuzzTest {
    private static final List<String> TOKENS = List.of("RIFF", "RIFX", "RF64", "WAVE", "fmt ", "data", "LIST", "fact", "\u00ff\u00ff\u00ff\u00ff");

    @Provide
    Arbitrary<byte[]> wavFiles() {
        float[] sine = TestWavs.sine(440, 0.5, 8000, 40);
        List<byte[]> seeds = List.of(
                TestWavs.mono16(sine, 8000),
                TestWavs.riff(TestWavs.chunk("fmt ", TestWavs.fmt(1, 2, 16000, 24)), TestWavs.chunk("data", TestWavs.pcm24(1, -1, 8388607, -8388608, 0, 5))),
                TestWavs.riff(TestWavs.chunk("fmt ", TestWavs.fmt(3, 1, 8000, 32)), TestWavs.chunk("LIST", new byte[] {1, 2, 3}),
                        TestWavs.chunk("data", TestWavs.float32(0.5f, -0.25f, 1f, 0f))),
                TestWavs.riff(TestWavs.chunk("fmt ", TestWavs.extensible(1, 1, 22050, 16)), TestWavs.chunk("data", TestWavs.pcm16((short) 1, (short) -2))));
        return ByteMutations.of(seeds, TOKENS);
    }

    @Property
    void wavReadsOrFailsWithADataFileException(@ForAll("wavFiles") byte[] bytes) {
        ByteMutations.readsOrRejects(DataFileException.class, "fuzz.wav", bytes.length, () -> WavFile.parse("fuzz.wav", bytes));
    }
}
