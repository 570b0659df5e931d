/**
 * DNA sequences for the sequence classifier: {@link dev.rnn4j.data.dna.DnaEncoding} turns bases (with IUPAC
 * ambiguity codes) into one-hot features or k-mer tokens; {@link dev.rnn4j.data.dna.FastaSource} and
 * {@link dev.rnn4j.data.dna.DnaCsvSource} read labelled records from FASTA and CSV files.
 */
package dev.rnn4j.data.dna;
