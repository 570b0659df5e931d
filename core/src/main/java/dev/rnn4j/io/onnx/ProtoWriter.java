package dev.rnn4j.io.onnx;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol buffers encoding, the subset ONNX needs: varints, 32-bit floats, length-delimited bytes, strings and
 * nested messages, and packed repeated int64 and float fields. Fields are written in the order they are called.
 */
final class ProtoWriter {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private byte[] bytes = new byte[64];
    private int size;

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    int size() {
        return size;
    }

    ProtoWriter int64(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter float32(int field, float value) {
        tag(field, FIXED32);
        fixed32(Float.floatToRawIntBits(value));
        return this;
    }

    ProtoWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        append(value, value.length);
        return this;
    }

    ProtoWriter message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        varint(message.size);
        append(message.bytes, message.size);
        return this;
    }

    /** An unpacked repeated int64 field, one tag per value (proto2's default, as ONNX declares {@code dims} and {@code ints}). */
    ProtoWriter int64s(int field, long[] values) {
        for (long v : values) int64(field, v);
        return this;
    }

    /** An unpacked repeated float field. */
    ProtoWriter floats(int field, float[] values) {
        for (float v : values) float32(field, v);
        return this;
    }

    /** A packed repeated int64 field; nothing for an empty array (proto3 and protoc write none either). */
    ProtoWriter packedInt64(int field, long[] values) {
        if (values.length == 0) return this;
        ProtoWriter body = new ProtoWriter();
        for (long v : values) body.varint(v);
        tag(field, LENGTH_DELIMITED);
        varint(body.size);
        append(body.bytes, body.size);
        return this;
    }

    /** A packed repeated float field; nothing for an empty array. */
    ProtoWriter packedFloats(int field, float[] values) {
        if (values.length == 0) return this;
        tag(field, LENGTH_DELIMITED);
        varint(4L * values.length);
        for (float v : values) fixed32(Float.floatToRawIntBits(v));
        return this;
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    /** Negative values take ten bytes, as int64 and int32 fields store them. */
    private void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    private void fixed32(int value) {
        ensure(4);
        for (int i = 0; i < 4; i++) bytes[size++] = (byte) (value >>> (8 * i));
    }

    private void append(byte[] data, int length) {
        ensure(length);
        System.arraycopy(data, 0, bytes, size, length);
        size += length;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 8) throw new IllegalStateException("an ONNX message over 2 GB cannot be written");
        if (needed > bytes.length) bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * bytes.length)));
    }
}
