package dev.rnn4j.io.onnx;

import dev.rnn4j.io.ModelFileException;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Protocol buffers decoding of one message within a byte array, for files that may be damaged or hostile: every
 * length is checked against the bytes left in the enclosing message before anything is allocated, fields of any wire
 * type that the caller does not ask for are skipped (groups included), and repeated scalars are read both packed and
 * unpacked. Errors are {@link ModelFileException}s naming the file and the byte offset.
 *
 * <pre>{@code
 * while (reader.next()) {
 *     switch (reader.field()) {
 *         case 1 -> name = reader.string();
 *         default -> reader.skip();
 *     }
 * }
 * }</pre>
 */
final class ProtoReader {
    /** Nested messages deeper than this are refused, so a crafted file cannot exhaust the stack. */
    private static final int MAX_DEPTH = 64;

    private final String source;
    private final byte[] data;
    private final int end;
    private final int depth;
    private int position;
    private int field;
    private int wireType;

    ProtoReader(String source, byte[] data) {
        this(source, data, 0, data.length, 0);
    }

    private ProtoReader(String source, byte[] data, int start, int end, int depth) {
        this.source = source;
        this.data = data;
        this.position = start;
        this.end = end;
        this.depth = depth;
    }

    /** Reads the next field's tag; false at the end of the message. */
    boolean next() {
        if (position >= end) return false;
        int at = position;
        long tag = varint();
        if (tag >>> 3 == 0 || tag >>> 3 > 0x1FFFFFFF) throw error(at, "invalid field number " + (tag >>> 3));
        field = (int) (tag >>> 3);
        wireType = (int) (tag & 7);
        if (wireType > ProtoWriter.FIXED32) throw error(at, "invalid wire type " + wireType + " for field " + field);
        return true;
    }

    int field() {
        return field;
    }

    /** An int64, int32 or enum field (int32 values are sign-extended by writers, so the low 32 bits are the value). */
    long int64() {
        expect(ProtoWriter.VARINT);
        return varint();
    }

    int int32() {
        return (int) int64();
    }

    float float32() {
        expect(ProtoWriter.FIXED32);
        return Float.intBitsToFloat(fixed32());
    }

    byte[] bytes() {
        int length = length();
        byte[] value = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return value;
    }

    /** A string field, which must be valid UTF-8. */
    String string() {
        int at = position;
        int length = length();
        try {
            String value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, position, length)).toString();
            position += length;
            return value;
        } catch (CharacterCodingException e) {
            throw error(at, "field " + field + " is not valid UTF-8");
        }
    }

    /** A nested message field: a reader over its bytes, which this reader then steps over. */
    ProtoReader message() {
        if (depth + 1 > MAX_DEPTH) throw error(position, "messages nested more than " + MAX_DEPTH + " deep");
        int length = length();
        ProtoReader nested = new ProtoReader(source, data, position, position + length, depth + 1);
        position += length;
        return nested;
    }

    /** Appends a repeated int64 field's values, packed (many) or not (one). */
    void int64s(LongList into) {
        if (wireType == ProtoWriter.VARINT) {
            into.add(varint());
            return;
        }
        int length = length();
        int stop = position + length;
        while (position < stop) into.add(varintWithin(stop));
    }

    /** Appends a repeated float field's values, packed (many) or not (one). */
    void floats(FloatList into) {
        if (wireType == ProtoWriter.FIXED32) {
            into.add(Float.intBitsToFloat(fixed32()));
            return;
        }
        int at = position;
        int length = length();
        if (length % 4 != 0) throw error(at, "packed floats of " + length + " bytes, not a multiple of 4");
        for (int i = 0; i < length / 4; i++) into.add(Float.intBitsToFloat(fixed32()));
    }

    /** Appends a repeated double field's values, packed or not. */
    void doubles(DoubleList into) {
        if (wireType == ProtoWriter.FIXED64) {
            into.add(Double.longBitsToDouble(fixed64()));
            return;
        }
        int at = position;
        int length = length();
        if (length % 8 != 0) throw error(at, "packed doubles of " + length + " bytes, not a multiple of 8");
        for (int i = 0; i < length / 8; i++) into.add(Double.longBitsToDouble(fixed64()));
    }

    /** Steps over the current field, whatever its wire type. */
    void skip() {
        switch (wireType) {
            case ProtoWriter.VARINT -> varint();
            case ProtoWriter.FIXED64 -> take(8);
            case ProtoWriter.LENGTH_DELIMITED -> {
                int length = length(); // read first: position moves past the length prefix
                position += length;
            }
            case ProtoWriter.FIXED32 -> take(4);
            case ProtoWriter.START_GROUP -> skipGroup(field, 0);
            default -> throw error(position, "unexpected end of group for field " + field);
        }
    }

    private void skipGroup(int groupField, int nesting) {
        if (depth + nesting + 1 > MAX_DEPTH) throw error(position, "groups nested more than " + MAX_DEPTH + " deep");
        while (true) {
            if (!next()) throw error(position, "group of field " + groupField + " has no end");
            if (wireType == ProtoWriter.END_GROUP) {
                if (field != groupField) throw error(position, "group of field " + groupField + " ended by field " + field);
                return;
            }
            if (wireType == ProtoWriter.START_GROUP) skipGroup(field, nesting + 1);
            else skip();
        }
    }

    ModelFileException error(String message) {
        return error(position, message);
    }

    private ModelFileException error(int at, String message) {
        return new ModelFileException(source + ": not a valid ONNX file: " + message + " (byte " + at + ")");
    }

    private void expect(int type) {
        if (wireType != type) throw error(position, "field " + field + " has wire type " + wireType + ", expected " + type);
    }

    /** A length prefix, checked against the bytes left in this message. */
    private int length() {
        expect(ProtoWriter.LENGTH_DELIMITED);
        int at = position;
        long length = varint();
        if (length < 0 || length > end - position) {
            throw error(at, "field " + field + " claims " + length + " bytes but " + (end - position) + " are left");
        }
        return (int) length;
    }

    private long varint() {
        return varintWithin(end);
    }

    private long varintWithin(int stop) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= stop) throw error(position, "truncated varint");
            byte b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) return value;
        }
        throw error(position, "varint longer than 10 bytes");
    }

    private int fixed32() {
        int at = take(4);
        return (data[at] & 0xFF) | (data[at + 1] & 0xFF) << 8 | (data[at + 2] & 0xFF) << 16 | (data[at + 3] & 0xFF) << 24;
    }

    private long fixed64() {
        int at = take(8);
        long value = 0;
        for (int i = 7; i >= 0; i--) value = value << 8 | (data[at + i] & 0xFF);
        return value;
    }

    /** Advances by n bytes, returning where they start; an error if fewer are left. */
    private int take(int n) {
        if (end - position < n) throw error(position, "truncated: " + n + " bytes needed, " + (end - position) + " left");
        int at = position;
        position += n;
        return at;
    }

    /** A growable list of longs, so large repeated fields do not box. */
    static final class LongList {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    static final class FloatList {
        private float[] values = new float[8];
        private int size;

        void add(float v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    static final class DoubleList {
        private double[] values = new double[8];
        private int size;

        void add(double v) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
