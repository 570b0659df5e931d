package dev.rnn4j.io;

/** The safetensors element types, with their sizes in bytes. Only F32, F64, I64 and I32 are decoded by rnn4j. */
enum Dtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1),
    I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** The type of that safetensors name, or null if unknown. */
    static Dtype byName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) return d;
        }
        return null;
    }
}
