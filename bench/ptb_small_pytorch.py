#!/usr/bin/env python3
"""Zaremba et al. (2014) "small" Penn Treebank language model in PyTorch: the peer for examples/ptb-small.sh.

Run it through bench/ptb_small_pytorch.sh, which preloads tcmalloc (PyTorch at its best on these machines).
The recipe is TensorFlow's ptb_word_lm SmallConfig: 2 x 200 LSTM, 20 unrolled steps, batch 20, SGD with learning
rate 1 halved after every epoch from epoch 5 on, 13 epochs, gradient norm clipped at 5, weights uniform in +-0.1,
no dropout; the gradient is that of the batch-mean cross-entropy summed over the 20 steps. Prints one JSON line
per epoch and a final one with the words per second of training.
"""
import argparse, json, math, sys, time

import torch
import torch.nn as nn


def read_words(path):
    with open(path, encoding="utf-8") as f:
        return [w for line in f for w in line.split() + ["<eos>"]]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/ptb")
    p.add_argument("--epochs", type=int, default=13)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (throughput only)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    train, valid, test = (read_words(f"{a.data}/ptb.{s}.txt") for s in ("train", "valid", "test"))
    counts = {}
    for w in train:
        counts[w] = counts.get(w, 0) + 1
    vocab = {w: i for i, w in enumerate(sorted(counts, key=lambda w: (-counts[w], w)))}
    batch, steps, hidden, layers, V = 20, 20, 200, 2, len(vocab)

    def streams(words):
        ids = torch.tensor([vocab[w] for w in words], dtype=torch.long)
        n = len(ids) // batch
        return ids[: n * batch].view(batch, n)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(V, hidden)
            self.lstm = nn.LSTM(hidden, hidden, layers)
            self.output = nn.Linear(hidden, V)
            for w in self.parameters():
                nn.init.uniform_(w, -0.1, 0.1)

        def forward(self, x, state):
            y, state = self.lstm(self.embedding(x), state)
            return self.output(y), state

    model = Model()
    loss_fn = nn.CrossEntropyLoss()

    def run_epoch(data, lr=None):
        training = lr is not None
        model.train(training)
        state = None
        total, words, step = 0.0, 0, 0
        t0 = time.time()
        step_times = []
        for i in range(0, data.size(1) - 1 - (data.size(1) - 1) % steps, steps):
            x = data[:, i : i + steps].t().contiguous()
            y = data[:, i + 1 : i + 1 + steps].t().contiguous()
            ts = time.perf_counter()
            with torch.set_grad_enabled(training):
                logits, state = model(x, state)
                loss = loss_fn(logits.view(-1, V), y.view(-1))
            if training:
                model.zero_grad()
                (loss * steps).backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0)
                with torch.no_grad():
                    for w in model.parameters():
                        w -= lr * w.grad
            state = tuple(s.detach() for s in state)
            total += loss.item() * y.numel()
            step_times.append(time.perf_counter() - ts)
            words += y.numel()
            step += 1
            if training and a.max_steps and step >= a.max_steps:
                break
        if training:
            median_steps.append(sorted(step_times)[len(step_times) // 2])
        return total / words, words, time.time() - t0

    median_steps = []
    train_ids, valid_ids, test_ids = streams(train), streams(valid), streams(test)
    start = time.time()
    train_words, train_seconds = 0, 0.0
    for epoch in range(a.epochs):
        lr = 1.0 * 0.5 ** max(epoch + 1 - 4, 0)
        loss, words, seconds = run_epoch(train_ids, lr)
        train_words += words
        train_seconds += seconds
        if a.max_steps:
            break
        v, _, _ = run_epoch(valid_ids)
        print(json.dumps({"epoch": epoch + 1, "lr": lr, "train_perplexity": math.exp(loss), "valid_perplexity": math.exp(v),
                          "words_per_second": words / seconds}), flush=True)
    result = {"words_per_second": train_words / train_seconds, "median_step_ms": 1000 * median_steps[-1],
              "words_per_second_at_median_step": batch * steps / median_steps[-1], "train_words": train_words, "seconds": time.time() - start,
              "threads": a.threads, "torch": torch.__version__}
    if not a.max_steps:
        t, _, _ = run_epoch(test_ids)
        result["test_perplexity"] = math.exp(t)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
