"""Eager-PyTorch reference for the CRF figures of the benchmarks' table (target 4).

The algorithm pytorch-crf (kmkurn/pytorch-crf) uses, written here from its description, not
copied: the forward algorithm keeps a score (B, C) and, per time step, broadcasts it against the
transitions and the step's emissions to (B, C, C) and takes a logsumexp over the previous tag;
Viterbi takes max and argmax over the same broadcast and backtracks through the argmax history.
A training step is the negative log-likelihood (log partition minus gold-path score, averaged
over the batch, as CrfLoss) and its backward pass through autograd.

Same shapes as CrfBench (B=32, T=64, C=9, float32, no padding) and one thread
(torch.set_num_threads(1)), as the Java benchmarks run. Prints one line per computation:
``name cpu_best_ms cpu_median_ms cpu_worst_ms wall_best_ms`` over repeated timing blocks (the
process's CPU time per call, and the best wall time), then the torch version.

Run: /usr/bin/python3 benchmarks/python/crf_reference.py [--repeats 7] [--number 50]
(Debian's python3-torch; it exits with status 3 and prints "not run" when torch is missing).
"""

import argparse
import statistics
import sys
import time

try:
    import torch
except ImportError:  # the table then says "not run"
    print("not run: no torch module for " + sys.executable)
    sys.exit(3)


def log_partition(emissions, mask, transitions, start, end):
    """Forward algorithm. emissions (B, T, C), mask (B, T) bool -> (B,)."""
    steps = emissions.shape[1]
    # shape: (B, C); partial paths of length 1
    score = start + emissions[:, 0]
    for t in range(1, steps):
        # shape: (B, C, 1) + (C, C) + (B, 1, C) -> (B, C, C): previous tag i, next tag j
        broadcast = score.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1)
        # in log space the sum over the previous tag becomes a logsumexp
        following = torch.logsumexp(broadcast, dim=1)
        # shape: (B, C); padded steps keep the score
        score = torch.where(mask[:, t].unsqueeze(1), following, score)
    return torch.logsumexp(score + end, dim=1)


def gold_score(emissions, tags, mask, transitions, start, end):
    """Score of the given tag paths, (B,). All steps real in this benchmark, as pytorch-crf
    assumes the first step is."""
    batch, steps = tags.shape
    rows = torch.arange(batch)
    maskf = mask.to(emissions.dtype)
    score = start[tags[:, 0]] + emissions[rows, 0, tags[:, 0]]
    for t in range(1, steps):
        step = transitions[tags[:, t - 1], tags[:, t]] + emissions[rows, t, tags[:, t]]
        score = score + step * maskf[:, t]
    lengths = mask.long().sum(1) - 1
    last = tags[rows, lengths]
    return score + end[last]


def viterbi(emissions, mask, transitions, start, end):
    """Best paths (B, T) as a tensor and their scores (B,)."""
    steps = emissions.shape[1]
    score = start + emissions[:, 0]
    history = []
    for t in range(1, steps):
        broadcast = score.unsqueeze(2) + transitions + emissions[:, t].unsqueeze(1)
        # shape: (B, C) each; the best previous tag for every next tag
        following, indices = broadcast.max(dim=1)
        score = torch.where(mask[:, t].unsqueeze(1), following, score)
        history.append(indices)
    score = score + end
    best, last = score.max(dim=1)
    # follow the backpointers from the last step (all steps are real here)
    tag = last.unsqueeze(1)
    path = [tag]
    for indices in reversed(history):
        tag = indices.gather(1, tag)
        path.append(tag)
    path.reverse()
    return torch.cat(path, 1), best


def timed(fn, repeats, number):
    """Per-call times in ms over `repeats` blocks of `number` calls: (best, median, worst) of
    the process's CPU time (as the Java side's CpuTimeProfiler) and the best wall time."""
    fn()
    fn()
    cpu = []
    wall = []
    for _ in range(repeats):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        wall.append((time.perf_counter() - t0) / number * 1e3)
        cpu.append((time.process_time() - c0) / number * 1e3)
    return min(cpu), statistics.median(cpu), max(cpu), min(wall)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--number", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    batch, steps, tags_n = 32, 64, 9
    emissions = torch.randn(batch, steps, tags_n)
    transitions = torch.randn(tags_n, tags_n)
    start = torch.randn(tags_n)
    end = torch.randn(tags_n)
    mask = torch.ones(batch, steps, dtype=torch.bool)
    tags = torch.randint(0, tags_n, (batch, steps))

    # self-check: the forward algorithm against brute force on a tiny case, Viterbi's score
    # against the gold score of its own path
    small = (torch.randn(2, 3, 3), torch.ones(2, 3, dtype=torch.bool), torch.randn(3, 3),
             torch.randn(3), torch.randn(3))
    paths = torch.cartesian_prod(*[torch.arange(3)] * 3)
    brute = torch.stack([torch.logsumexp(torch.stack([
        gold_score(small[0][b:b + 1], p.unsqueeze(0), small[1][b:b + 1], *small[2:])[0]
        for p in paths]), 0) for b in range(2)])
    assert torch.allclose(brute, log_partition(*small), atol=1e-5), "forward algorithm"
    best_paths, best = viterbi(emissions, mask, transitions, start, end)
    assert torch.allclose(best, gold_score(emissions, best_paths, mask, transitions, start, end),
                          atol=1e-4), "viterbi"

    with torch.no_grad():
        rows = [("logPartition", timed(lambda: log_partition(emissions, mask, transitions, start,
                                                               end), args.repeats, args.number)),
                ("viterbiDecode", timed(lambda: viterbi(emissions, mask, transitions, start, end),
                                        args.repeats, args.number))]

    emissions_g = emissions.clone().requires_grad_(True)
    params = [p.clone().requires_grad_(True) for p in (transitions, start, end)]

    def train_step():
        nll = (log_partition(emissions_g, mask, *params)
               - gold_score(emissions_g, tags, mask, *params)).mean()
        nll.backward()
        for p in [emissions_g] + params:
            p.grad = None

    rows.append(("trainingStep", timed(train_step, args.repeats, max(1, args.number // 2))))
    for name, (best_ms, median_ms, worst_ms, wall_ms) in rows:
        print("%s %.4f %.4f %.4f %.4f" % (name, best_ms, median_ms, worst_ms, wall_ms))
    print("torch %s threads %d" % (torch.__version__, torch.get_num_threads()))


if __name__ == "__main__":
    main()
