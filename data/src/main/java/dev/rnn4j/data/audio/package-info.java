/**
 * The speech domain of the sequence classifier: {@link dev.rnn4j.data.audio.WavFile} reads RIFF/WAVE files into mono
 * {@link dev.rnn4j.data.audio.Audio}, {@link dev.rnn4j.data.audio.Resampler} converts the sample rate as torchaudio
 * does, {@link dev.rnn4j.data.audio.FeatureExtractor} computes the log-mel or MFCC rows that
 * {@link dev.rnn4j.data.audio.AudioFeatures} describes (matching torchaudio's MelSpectrogram and MFCC), and
 * {@link dev.rnn4j.data.audio.AudioEncoding} and {@link dev.rnn4j.data.audio.AudioDirectorySource} plug them into
 * {@link dev.rnn4j.data.classify}, with optional {@link dev.rnn4j.data.audio.Augmentation}.
 */
package dev.rnn4j.data.audio;
