/**
 * The pure-math pieces of time-series forecasting: error metrics ({@link dev.rnn4j.data.forecast.ErrorMetrics}),
 * naive baselines and the MASE scale ({@link dev.rnn4j.data.forecast.Baselines}), interval coverage and
 * directional accuracy ({@link dev.rnn4j.data.forecast.Intervals}), the level transform
 * ({@link dev.rnn4j.data.forecast.Transform}) and scalers ({@link dev.rnn4j.data.forecast.Scaler}).
 *
 * <p>Forecasts from several origins with horizon H share one layout: {@code [origin][h]} flattened row-major,
 * so the prediction for origin {@code o} and step {@code h} (1..H) is at index {@code o * H + (h - 1)}.
 */
package dev.rnn4j.data.forecast;
