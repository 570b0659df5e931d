/**
 * Time series read from user files: {@link dev.rnn4j.data.series.TimeSeriesCsv} reads a CSV file into a
 * {@link dev.rnn4j.data.series.TimeSeries}, detecting the time column, its {@link dev.rnn4j.data.series.TimeFormat}
 * and its {@link dev.rnn4j.data.series.Frequency}.
 */
package dev.rnn4j.data.series;
