package dev.rnn4j.data.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Generated damage to valid files, for the readers' fuzz properties: a valid seed file, then 1 to 6 edits (bit
 * flips, bytes set to edge values, little-endian integers overwritten with edge values, truncation, deletion,
 * duplication, insertion of random bytes or of a format's own tokens). Positions are taken modulo the length, so
 * an edit applies to any seed and jqwik can shrink a failing list of edits.
 */
public final class ByteMutations {
    private ByteMutations() {}

    /** One edit of a byte string. */
    public sealed interface Edit {
        byte[] apply(byte[] in);
    }

    record FlipBit(int at, int bit) implements Edit {
        public byte[] apply(byte[] in) {
            if (in.length == 0) return in;
            byte[] out = in.clone();
            out[at % in.length] ^= (byte) (1 << bit);
            return out;
        }
    }

    record SetByte(int at, byte value) implements Edit {
        public byte[] apply(byte[] in) {
            if (in.length == 0) return in;
            byte[] out = in.clone();
            out[at % in.length] = value;
            return out;
        }
    }

    /** A little-endian integer of 1, 2, 4 or 8 bytes: lengths, counts, sizes and offsets live in these. */
    record SetInteger(int at, int width, long value) implements Edit {
        public byte[] apply(byte[] in) {
            if (in.length < width) return in;
            byte[] out = in.clone();
            int from = at % (in.length - width + 1);
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
            System.arraycopy(b.array(), 0, out, from, width);
            return out;
        }
    }

    record Truncate(int at) implements Edit {
        public byte[] apply(byte[] in) {
            return Arrays.copyOf(in, at % (in.length + 1));
        }
    }

    record Delete(int at, int length) implements Edit {
        public byte[] apply(byte[] in) {
            if (in.length == 0) return in;
            int from = at % in.length, n = Math.min(length, in.length - from);
            byte[] out = new byte[in.length - n];
            System.arraycopy(in, 0, out, 0, from);
            System.arraycopy(in, from + n, out, from, in.length - from - n);
            return out;
        }
    }

    record Duplicate(int at, int length) implements Edit {
        public byte[] apply(byte[] in) {
            if (in.length == 0) return in;
            int from = at % in.length, n = Math.min(length, in.length - from);
            return insert(in, from, Arrays.copyOfRange(in, from, from + n));
        }
    }

    record Insert(int at, byte[] bytes) implements Edit {
        public byte[] apply(byte[] in) {
            return insert(in, at % (in.length + 1), bytes);
        }

        @Override
        public String toString() {
            return "Insert[at=" + at + ", bytes=" + Arrays.toString(bytes) + " '" + new String(bytes, StandardCharsets.ISO_8859_1) + "']";
        }
    }

    private static byte[] insert(byte[] in, int at, byte[] bytes) {
        byte[] out = new byte[in.length + bytes.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        System.arraycopy(in, at, out, at + bytes.length, in.length - at);
        return out;
    }

    /** A damaged copy of one of the seeds; {@code tokens} are the format's own words, inserted whole. */
    public static Arbitrary<byte[]> of(List<byte[]> seeds, List<String> tokens) {
        return Combinators.combine(Arbitraries.of(seeds), edits(tokens).list().ofMinSize(1).ofMaxSize(6))
                .as((seed, edits) -> {
                    byte[] bytes = seed;
                    for (Edit e : edits) bytes = e.apply(bytes);
                    return bytes;
                });
    }

    static Arbitrary<Edit> edits(List<String> tokens) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<Long> edgeValues = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, 0x7FL, 0x80L, 0xFFL, 0x7FFFL, 0xFFFFL, 0x7FFF_FFFFL, 0xFFFF_FFFFL, Long.MAX_VALUE, Long.MIN_VALUE,
                        1L << 31, 1L << 40, 100_000_000L),
                Arbitraries.longs());
        Arbitrary<byte[]> token = tokens.isEmpty()
                ? Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(8)
                : Arbitraries.of(tokens).map(t -> t.getBytes(StandardCharsets.UTF_8));
        return Arbitraries.oneOf(
                Combinators.combine(at, Arbitraries.integers().between(0, 7)).as(FlipBit::new),
                Combinators.combine(at, Arbitraries.of((byte) 0, (byte) -1, (byte) 0x7F, (byte) 0x80, (byte) '"', (byte) '\n', (byte) ','))
                        .as(SetByte::new),
                Combinators.combine(at, Arbitraries.of(1, 2, 4, 8), edgeValues).as(SetInteger::new),
                at.map(Truncate::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Delete::new),
                Combinators.combine(at, Arbitraries.integers().between(1, 64)).as(Duplicate::new),
                Combinators.combine(at, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16)).as(Insert::new),
                Combinators.combine(at, token).as(Insert::new));
    }

    /** No reader may allocate more than this many times the input's size (plus a fixed allowance) for one file. */
    static final long ALLOCATION_FACTOR = 200;
    private static final long ALLOCATION_ALLOWANCE = 16L << 20;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);

    /**
     * The fuzz property: {@code read} either returns or throws {@code documented} whose message starts with
     * {@code source}; never another exception or error, never a hang (10 s), never an allocation
     * out of proportion to the file's size (which is what an OutOfMemoryError on a small file starts as).
     */
    public static void readsOrRejects(Class<? extends RuntimeException> documented, String source, long inputBytes, Runnable read) {
        assertTimeoutPreemptively(TIME_LIMIT, () -> {
            long before = allocatedBytes();
            try {
                read.run();
            } catch (RuntimeException e) {
                if (!documented.isInstance(e)) throw new AssertionError("a " + e.getClass().getName() + " instead of a " + documented.getSimpleName(), e);
                assertTrue(e.getMessage() != null && e.getMessage().startsWith(source), "the message does not name the file: " + e.getMessage());
                assertTrue(e.getMessage().indexOf('\n') < 0, "not one line: " + e.getMessage());
            } catch (StackOverflowError | OutOfMemoryError e) {
                fail("the reader failed with " + e, e);
            }
            long allocated = allocatedBytes() - before;
            long limit = ALLOCATION_FACTOR * inputBytes + ALLOCATION_ALLOWANCE;
            assertTrue(allocated < 0 || allocated <= limit, "allocated " + allocated + " bytes for a " + inputBytes + "-byte file (limit " + limit + ")");
        });
    }

    /** Bytes this thread allocated so far, or -1 where the JVM does not count them. */
    private static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean && bean.isThreadAllocatedMemorySupported()) {
            return bean.getCurrentThreadAllocatedBytes();
        }
        return -1;
    }
}
