/**
 * Text: tokens ({@link dev.rnn4j.data.text.Tokenization}, {@link dev.rnn4j.data.text.Tokenizer}), vocabularies
 * ({@link dev.rnn4j.data.text.Vocabulary}: specials, then by frequency, ties by first appearance), strictly decoded
 * files ({@link dev.rnn4j.data.text.TextFile}) and pretrained word vectors
 * ({@link dev.rnn4j.data.text.PretrainedVectors}).
 *
 * <p>Language models: {@link dev.rnn4j.data.text.LanguageModeler} trains one (prepare, newRun, fit: parallel streams,
 * truncated BPTT with the state carried), {@link dev.rnn4j.data.text.LanguageModel} is the trained bundle and
 * {@link dev.rnn4j.data.text.TextGenerator} writes text from it one token at a time.
 *
 * <p>Sentence classification, the text side: {@link dev.rnn4j.data.text.TextEncoding} and the sources
 * {@link dev.rnn4j.data.text.TextCsvSource}, {@link dev.rnn4j.data.text.TextDirectorySource} and
 * {@link dev.rnn4j.data.text.TextLinesSource}.
 */
package dev.rnn4j.data.text;
