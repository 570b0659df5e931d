package dev.rnn4j.data;

import dev.rnn4j.data.audio.AudioEncoding;
import dev.rnn4j.data.classify.SequenceEncoding;
import dev.rnn4j.data.dna.DnaEncoding;
import dev.rnn4j.data.text.TextEncoding;

import java.util.Map;

/** Rebuilds a domain's {@link SequenceEncoding} from a bundle: the one place that knows every domain. */
public final class Domains {
    private Domains() {}

    /**
     * @param json what {@link SequenceEncoding#toJson()} wrote, with its {@code "domain"}
     * @throws IllegalArgumentException for an unknown domain or malformed settings
     */
    public static SequenceEncoding encoding(Map<String, Object> json) {
        Object domain = json.get("domain");
        return switch (String.valueOf(domain)) {
            case DnaEncoding.DOMAIN -> DnaEncoding.fromJson(json);
            case AudioEncoding.DOMAIN -> AudioEncoding.fromJson(json);
            case TextEncoding.DOMAIN -> TextEncoding.fromJson(json);
            default -> throw new IllegalArgumentException("unknown data domain '" + domain + "' in the bundle's encoding");
        };
    }
}
