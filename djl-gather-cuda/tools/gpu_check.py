#!/usr/bin/env python3
"""GPU check of djl-gather's op library (step 2 of gpu-check.sh).

Loads the op library archive that ExportOpLibrary wrote (the same TorchScript module the Java
side runs) with torch.jit.load(..., map_location='cuda') and, on CUDA tensors:
  * runs every public method of the archive against torch eager on the same inputs
    (values and, for the deterministic methods, gradients);
  * runs each deterministic (*_det*) method 5 times and checks the results bit-identical;
  * runs the CHECKED index check (index_bounds: one fused min/max, one host sync) on a bad
    index, raises the same error as the Java side, and shows the CUDA context still works;
and prints one table. Exit status 0 when every row passes, 1 otherwise (including a method of
the archive that has no case here: add one to CASES).

Needs Python 3 and PyTorch with CUDA; no Java, no network. Runs in well under a minute.
    python3 gpu_check.py op-library.pt            # on the GPU machine
    python3 gpu_check.py op-library.pt --device cpu   # dry run of the script itself
    python3 gpu_check.py op-library.pt --show-assert  # also show, in a child process, that an
                                                      # unchecked bad index poisons the context
"""

import argparse
import subprocess
import sys
import time
import warnings

import torch

warnings.filterwarnings("ignore", message=".*is in beta.*")

RUNS = 5
ROWS, COLS, SRC_ROWS = 64, 32, 4096


def hot_index(n, bound, gen, device):
    """Duplicate-heavy indices in [0, bound): three quarters on positions 0 and 1."""
    wide = torch.randint(0, bound, (n,), generator=gen)
    hot = torch.randint(0, 2, (n,), generator=gen)
    pick = torch.rand(n, generator=gen) < 0.25
    return torch.where(pick, wide, hot).to(device)


def unique_rows(rows, cols, bound, gen, device):
    """[rows, cols] indices in [0, bound), no duplicate within a column (for scatter/copy)."""
    return torch.stack([torch.randperm(bound, generator=gen)[:rows] for _ in range(cols)], 1).to(device)


def max_diff(a, b):
    if a.shape != b.shape:
        return float("inf")
    if a.is_floating_point():
        both_nan = torch.isnan(a) & torch.isnan(b)
        d = (a.double() - b.double()).abs()
        d = torch.where(both_nan, torch.zeros_like(d), d)
        return d.max().item() if d.numel() else 0.0
    return 0.0 if torch.equal(a, b) else float("inf")


def tolerance(ref):
    if not ref.is_floating_point():
        return 0.0
    scale = 1.0 + (ref.double().abs().max().item() if ref.numel() else 0.0)
    return (1e-4 if ref.dtype == torch.float32 else 1e-10) * scale


def bits(t):
    """A tensor's raw bits, to compare float results exactly (NaN payloads included)."""
    if t.dtype == torch.float32:
        return t.view(torch.int32)
    if t.dtype == torch.float64:
        return t.view(torch.int64)
    return t


def timed(fn, device, repeat=5):
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeat * 1e3


# ------------------------------------------------------------------------------------------
# Cases: method -> function(lib, device, gen) returning a list of (library_fn, eager_fn, grad)
# where grad is a list of tensors whose .grad to compare after backward, or None.


def data(device, gen, dtype=torch.float32):
    x = torch.randn(ROWS, COLS, generator=gen).to(device=device, dtype=dtype)
    src = torch.randn(SRC_ROWS, COLS, generator=gen).to(device=device, dtype=dtype)
    idx = hot_index(SRC_ROWS * COLS, ROWS, gen, device).view(SRC_ROWS, COLS)
    return x, src, idx


def c_gather(lib, dev, gen):
    x, _, idx = data(dev, gen)
    return [(lambda: lib.gather(x, 0, idx), lambda: torch.gather(x, 0, idx), None)]


def c_scatter_src(lib, dev, gen):
    x, src, _ = data(dev, gen)
    idx = unique_rows(ROWS // 2, COLS, ROWS, gen, dev)
    return [(lambda: lib.scatter_src(x, 0, idx, src), lambda: torch.scatter(x, 0, idx, src), None)]


def c_scatter_value_f(lib, dev, gen):
    x, _, idx = data(dev, gen)
    return [(lambda: lib.scatter_value_f(x, 0, idx, 2.5), lambda: torch.scatter(x, 0, idx, 2.5), None)]


def c_scatter_value_i(lib, dev, gen):
    x, _, idx = data(dev, gen)
    xi = (x * 10).long()
    return [(lambda: lib.scatter_value_i(xi, 0, idx, 7), lambda: torch.scatter(xi, 0, idx, 7), None)]


def c_scatter_add(lib, dev, gen):
    x, src, idx = data(dev, gen)
    return [(lambda: lib.scatter_add(x, 0, idx, src), lambda: torch.scatter_add(x, 0, idx, src), None)]


def c_scatter_reduce(lib, dev, gen):
    x, src, idx = data(dev, gen)
    src = src.abs() * 0.01 + 1  # keeps prod finite
    out = []
    for reduce in ("sum", "prod", "mean", "amax", "amin"):
        for self_ in (True, False):
            out.append((lambda r=reduce, s=self_: lib.scatter_reduce(x, 0, idx, src, r, s),
                        lambda r=reduce, s=self_: torch.scatter_reduce(x, 0, idx, src, r, include_self=s),
                        None))
    return out


def c_index_select(lib, dev, gen):
    x, _, _ = data(dev, gen)
    idx = hot_index(100, ROWS, gen, dev)
    return [(lambda: lib.index_select(x, 0, idx), lambda: torch.index_select(x, 0, idx), None)]


def slices(dev, gen, dtype=torch.float32):
    x = torch.randn(ROWS, COLS, generator=gen).to(device=dev, dtype=dtype)
    src = torch.randn(SRC_ROWS, COLS, generator=gen).to(device=dev, dtype=dtype)
    idx = hot_index(SRC_ROWS, ROWS, gen, dev)
    return x, src, idx


def c_index_add(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    return [(lambda: lib.index_add(x, 0, idx, src), lambda: torch.index_add(x, 0, idx, src), None)]


def c_index_add_alpha_f(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    return [(lambda: lib.index_add_alpha_f(x, 0, idx, src, 0.5),
             lambda: torch.index_add(x, 0, idx, src, alpha=0.5), None)]


def c_index_add_alpha_i(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    xi, si = (x * 100).long(), (src * 100).long()
    return [(lambda: lib.index_add_alpha_i(xi, 0, idx, si, 3),
             lambda: torch.index_add(xi, 0, idx, si, alpha=3), None)]


def c_index_copy(lib, dev, gen):
    x, _, _ = slices(dev, gen)
    idx = torch.randperm(ROWS, generator=gen)[:10].to(dev)
    src = torch.randn(10, COLS, generator=gen).to(dev)
    return [(lambda: lib.index_copy(x, 0, idx, src), lambda: torch.index_copy(x, 0, idx, src), None)]


def c_index_fill_f(lib, dev, gen):
    x, _, _ = slices(dev, gen)
    idx = hot_index(50, ROWS, gen, dev)
    return [(lambda: lib.index_fill_f(x, 0, idx, -1.5), lambda: torch.index_fill(x, 0, idx, -1.5), None)]


def c_index_fill_i(lib, dev, gen):
    x, _, _ = slices(dev, gen)
    xi = (x * 10).long()
    idx = hot_index(50, ROWS, gen, dev)
    return [(lambda: lib.index_fill_i(xi, 0, idx, 9), lambda: torch.index_fill(xi, 0, idx, 9), None)]


def c_index_reduce(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    src = src.abs() * 0.01 + 1
    out = []
    for reduce in ("prod", "mean", "amax", "amin"):
        for self_ in (True, False):
            out.append((lambda r=reduce, s=self_: lib.index_reduce(x, 0, idx, src, r, s),
                        lambda r=reduce, s=self_: torch.index_reduce(x, 0, idx, src, r, include_self=s),
                        None))
    return out


def c_take_along_dim(lib, dev, gen):
    x, _, _ = data(dev, gen)
    idx = hot_index(ROWS * 5, COLS, gen, dev).view(ROWS, 5)
    return [(lambda: lib.take_along_dim(x, idx, 1), lambda: torch.take_along_dim(x, idx, 1), None)]


def c_take(lib, dev, gen):
    x, _, _ = data(dev, gen)
    idx = hot_index(500, ROWS * COLS, gen, dev) - 7  # negatives count from the end
    return [(lambda: lib.take(x, idx), lambda: torch.take(x, idx), None)]


def c_put(lib, dev, gen):
    x, _, _ = data(dev, gen)
    dup = hot_index(5000, ROWS * COLS, gen, dev)
    vals = torch.randn(5000, generator=gen).to(dev)
    uniq = torch.randperm(ROWS * COLS, generator=gen)[:300].to(dev)
    uvals = torch.randn(300, generator=gen).to(dev)
    return [(lambda: lib.put(x, dup, vals, True), lambda: torch.put(x, dup, vals, True), None),
            (lambda: lib.put(x, uniq, uvals, False), lambda: torch.put(x, uniq, uvals, False), None)]


def c_index_bounds(lib, dev, gen):
    idx = hot_index(10000, 1000, gen, dev) - 3
    return [(lambda: lib.index_bounds(idx), lambda: torch.stack([idx.min(), idx.max()]), None)]


def det_case(lib_fn, eager_fn, x, src):
    """A det case with gradients: the inputs get requires_grad in each call."""
    def run(fn):
        xg = x.clone().requires_grad_(True)
        sg = src.clone().requires_grad_(True)
        out = fn(xg, sg)
        weights = torch.linspace(-1, 1, out.numel(), device=out.device).view(out.shape)
        (out * weights).sum().backward()
        return out.detach(), xg.grad, sg.grad
    return (lambda: run(lib_fn), lambda: run(eager_fn), "grad")


def c_scatter_add_det(lib, dev, gen):
    x, src, idx = data(dev, gen)
    # along axis 1 too: [ROWS, SRC_ROWS] values onto [ROWS, COLS]
    idx1 = hot_index(ROWS * SRC_ROWS, COLS, gen, dev).view(ROWS, SRC_ROWS)
    src1 = torch.randn(ROWS, SRC_ROWS, generator=gen).to(dev)
    return [det_case(lambda a, s: lib.scatter_add_det(a, 0, idx, s),
                     lambda a, s: torch.scatter_add(a, 0, idx, s), x, src),
            det_case(lambda a, s: lib.scatter_add_det(a, 1, idx1, s),
                     lambda a, s: torch.scatter_add(a, 1, idx1, s), x, src1)]


def c_put_det(lib, dev, gen):
    x, _, _ = data(dev, gen)
    dup = hot_index(5000, ROWS * COLS, gen, dev) - 11  # negatives count from the end
    vals = torch.randn(5000, generator=gen).to(dev)
    return [det_case(lambda a, s: lib.put_det(a, dup, s),
                     lambda a, s: torch.put(a, dup, s, True), x, vals)]


def c_scatter_reduce_det(lib, dev, gen):
    x, src, idx = data(dev, gen)
    out = []
    for reduce in ("sum", "mean"):
        for self_ in (True, False):
            out.append(det_case(
                lambda a, s, r=reduce, i=self_: lib.scatter_reduce_det(a, 0, idx, s, r, i),
                lambda a, s, r=reduce, i=self_: torch.scatter_reduce(a, 0, idx, s, r, include_self=i),
                x, src))
    return out


def c_index_add_det_f(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    return [det_case(lambda a, s: lib.index_add_det_f(a, 0, idx, s, 0.5),
                     lambda a, s: torch.index_add(a, 0, idx, s, alpha=0.5), x, src),
            det_case(lambda a, s: lib.index_add_det_f(a, 0, idx, s, 1.0),
                     lambda a, s: torch.index_add(a, 0, idx, s), x, src)]


def c_index_add_det_i(lib, dev, gen):
    x, src, idx = slices(dev, gen)
    xi, si = (x * 100).long(), (src * 100).long()
    return [(lambda: lib.index_add_det_i(xi, 0, idx, si, 3),
             lambda: torch.index_add(xi, 0, idx, si, alpha=3), None)]


# Helpers of other modules' features (nlp: CRF, cv: pixels); references written independently.


def c_pixel_gather(lib, dev, gen):
    f = torch.randn(2, 3, 5, 7, generator=gen).to(dev)
    ys = torch.randint(-2, 7, (2, 40), generator=gen)
    xs = torch.randint(-2, 9, (2, 40), generator=gen)
    coords = torch.stack([ys, xs], 2).to(dev)
    inside = ((ys >= 0) & (ys < 5) & (xs >= 0) & (xs < 7)).to(dev)

    def eager(policy):
        lin = (ys.clamp(0, 4) * 7 + xs.clamp(0, 6)).to(dev)
        out = torch.stack([f[b].reshape(3, 35)[:, lin[b]].t() for b in range(2)])
        if policy == 2:
            out = out * inside.unsqueeze(2)
        bad = (~inside).reshape(-1).nonzero()
        first = bad[0].view(1) if policy == 0 and bad.numel() else torch.full([1], -1, device=dev)
        return out, first
    return [(lambda p=p: lib.pixel_gather(f, coords, p), lambda p=p: eager(p), None) for p in (0, 1, 2)]


def grid_sample_points(f, x, y, border):
    h, w = f.shape[2], f.shape[3]
    grid = torch.stack([2 * x / (w - 1) - 1, 2 * y / (h - 1) - 1], 2).unsqueeze(1)
    out = torch.nn.functional.grid_sample(f, grid, mode="bilinear",
                                          padding_mode="border" if border else "zeros",
                                          align_corners=True)
    return out.squeeze(2).transpose(1, 2)  # (B, N, C)


def bilinear_data(dev, gen):
    f = torch.randn(2, 3, 6, 8, generator=gen).to(dev)
    pts = (torch.rand(2, 50, 2, generator=gen) * torch.tensor([10.0, 8.0]) - 1).to(dev)  # (x, y)
    mask = (torch.rand(2, 50, generator=gen) < 0.7).to(dev)
    return f, pts, mask


def c_sample_bilinear(lib, dev, gen):
    f, pts, _ = bilinear_data(dev, gen)
    return [(lambda b=b: lib.sample_bilinear(f, pts, b),
             lambda b=b: grid_sample_points(f, pts[..., 0], pts[..., 1], b), None) for b in (False, True)]


def c_sample_bilinear_masked(lib, dev, gen):
    f, pts, mask = bilinear_data(dev, gen)
    return [(lambda b=b: lib.sample_bilinear_masked(f, pts, mask.long(), b),
             lambda b=b: grid_sample_points(f, pts[..., 0], pts[..., 1], b) * mask.unsqueeze(2), None)
            for b in (False, True)]


def c_bilinear_core(lib, dev, gen):
    f, pts, _ = bilinear_data(dev, gen)
    none = torch.empty([0], dtype=torch.bool, device=dev)
    return [(lambda b=b: lib.bilinear_core(f, pts[..., 0], pts[..., 1], b, none, False),
             lambda b=b: grid_sample_points(f, pts[..., 0], pts[..., 1], b), None) for b in (False, True)]


def crf_data(dev, gen, b=2, t=4, c=3):
    em = torch.randn(b, t, c, generator=gen).to(dev)
    trans = torch.randn(c, c, generator=gen).to(dev)
    start = torch.randn(c, generator=gen).to(dev)
    end = torch.randn(c, generator=gen).to(dev)
    mask = torch.ones(b, t, dtype=torch.bool, device=dev)
    return em, mask, trans, start, end


def crf_path_score(em, trans, start, end, path):
    """Score of one tag path (list of ints) through one sequence's emissions (T, C)."""
    s = start[path[0]] + em[0, path[0]]
    for i in range(1, len(path)):
        s = s + trans[path[i - 1], path[i]] + em[i, path[i]]
    return s + end[path[-1]]


def crf_all_paths(em, trans, start, end):
    import itertools
    t, c = em.shape
    paths = list(itertools.product(range(c), repeat=t))
    return paths, torch.stack([crf_path_score(em, trans, start, end, p) for p in paths])


def c_crf_log_partition(lib, dev, gen):
    em, mask, trans, start, end = crf_data(dev, gen)
    eager = lambda: torch.stack([torch.logsumexp(crf_all_paths(em[i], trans, start, end)[1], 0)
                                 for i in range(em.shape[0])])
    return [(lambda: lib.crf_log_partition(em, mask, trans, start, end).reshape(-1), eager, None)]


def c_crf_gold_score(lib, dev, gen):
    em, mask, trans, start, end = crf_data(dev, gen)
    tags = torch.randint(0, 3, (2, 4), generator=gen).to(dev)
    eager = lambda: torch.stack([crf_path_score(em[i], trans, start, end, tags[i].tolist())
                                 for i in range(2)])
    return [(lambda: lib.crf_gold_score(em, tags, mask, trans, start, end).reshape(-1), eager, None)]


def c_crf_viterbi(lib, dev, gen):
    em, mask, trans, start, end = crf_data(dev, gen)

    def lib_best():  # the score of the decoded path, whatever the tuple's layout
        out = lib.crf_viterbi(em, mask, trans, start, end)
        path = [t for t in out if not t.is_floating_point()][0]
        return torch.stack([crf_path_score(em[i], trans, start, end, path[i].tolist())
                            for i in range(2)])
    eager = lambda: torch.stack([crf_all_paths(em[i], trans, start, end)[1].max() for i in range(2)])
    return [(lib_best, eager, None)]


CASES = {
    "gather": c_gather, "scatter_src": c_scatter_src, "scatter_value_f": c_scatter_value_f,
    "scatter_value_i": c_scatter_value_i, "scatter_add": c_scatter_add,
    "scatter_reduce": c_scatter_reduce, "index_select": c_index_select, "index_add": c_index_add,
    "index_add_alpha_f": c_index_add_alpha_f, "index_add_alpha_i": c_index_add_alpha_i,
    "index_copy": c_index_copy, "index_fill_f": c_index_fill_f, "index_fill_i": c_index_fill_i,
    "index_reduce": c_index_reduce, "take_along_dim": c_take_along_dim, "take": c_take,
    "put": c_put, "index_bounds": c_index_bounds,
    "scatter_add_det": c_scatter_add_det, "put_det": c_put_det, "scatter_reduce_det": c_scatter_reduce_det,
    "index_add_det_f": c_index_add_det_f, "index_add_det_i": c_index_add_det_i,
    "pixel_gather": c_pixel_gather, "sample_bilinear": c_sample_bilinear,
    "sample_bilinear_masked": c_sample_bilinear_masked, "bilinear_core": c_bilinear_core,
    "crf_log_partition": c_crf_log_partition, "crf_gold_score": c_crf_gold_score,
    "crf_viterbi": c_crf_viterbi,
}

# Plain sums whose run-to-run variation on CUDA the det methods remove (shown, not judged).
ATOMIC_SUMS = {"scatter_add", "index_add", "index_add_alpha_f"}


def as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


def check_method(name, lib, device, gen):
    cases = CASES[name](lib, device, gen)
    worst, ok, ident = 0.0, True, "-"
    det = "_det" in name
    lib_ms = eager_ms = 0.0
    for lib_fn, eager_fn, _ in cases:
        got, want = as_tuple(lib_fn()), as_tuple(eager_fn())
        for g, w in zip(got, want):
            if g is None or w is None:
                ok = ok and g is None and w is None
                continue
            d = max_diff(g, w)
            worst = max(worst, d)
            ok = ok and d <= tolerance(w)
        if det or name in ATOMIC_SUMS:
            first = [bits(t) for t in as_tuple(lib_fn()) if t is not None]
            same = True
            for _ in range(RUNS - 1):
                again = [bits(t) for t in as_tuple(lib_fn()) if t is not None]
                same = same and all(torch.equal(a, b) for a, b in zip(first, again))
            if det:
                ident = "yes" if same and ident != "no" else "no"
                ok = ok and same
            else:
                ident = ("yes" if same and ident != "no (info)" else "no (info)")
        lib_ms += timed(lib_fn, device)
        eager_ms += timed(eager_fn, device)
    return worst, ident, ok, lib_ms, eager_ms


def index_check_rows(lib, device):
    """CHECKED on a bad index: the Java side's IndexRead.check(), then proof the context works."""
    rows = []
    x = torch.arange(8.0, device=device).view(2, 4)
    bad = torch.tensor([[0, 7], [1, 2]], device=device)
    try:
        lo, hi = lib.index_bounds(bad).tolist()  # one fused min/max, one host sync
        if lo < 0 or hi >= 4:
            raise ValueError("gather: index is out of range along axis 1; expected values in "
                             "[0, 4), got %d (index values span [%d, %d])" % (hi if hi >= 4 else lo, lo, hi))
        rows.append(("CHECKED: bad index", "-", "-", "FAIL (not detected)"))
    except ValueError as e:
        rows.append(("CHECKED: bad index", "-", "-", "PASS (ValueError: %s...)" % str(e)[:48]))
    try:
        good = torch.tensor([[3, 0], [2, 2]], device=device)
        out = lib.gather(x, 1, good)
        if device.type == "cuda":
            torch.cuda.synchronize()
        fine = out.tolist() == [[3.0, 0.0], [6.0, 6.0]]
        rows.append(("context usable after it", "-", "-", "PASS" if fine else "FAIL (wrong values)"))
    except RuntimeError as e:
        rows.append(("context usable after it", "-", "-", "FAIL (%s)" % str(e)[:40]))
    return rows


CHILD = r"""
import sys, torch
lib = torch.jit.load(sys.argv[1], map_location='cuda')
x = torch.arange(8.0, device='cuda').view(2, 4)
try:
    lib.gather(x, 1, torch.tensor([[0, 7], [1, 2]], device='cuda'))
    torch.cuda.synchronize()
except RuntimeError:
    pass
try:
    torch.ones(1, device='cuda').sum().item()
    print('usable')
except RuntimeError:
    print('poisoned')
"""


def assert_row(archive):
    out = subprocess.run([sys.executable, "-c", CHILD, archive], capture_output=True, text=True,
                         timeout=120).stdout.strip()
    return ("unchecked bad index (child)", "-", "-",
            "PASS (context %s, as expected without CHECKED)" % out if out == "poisoned"
            else "INFO (context %s)" % (out or "?"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive")
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--show-assert", action="store_true")
    args = parser.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print("no CUDA device visible to PyTorch %s; use --device cpu for a dry run" % torch.__version__)
        return 2
    started = time.time()
    lib = torch.jit.load(args.archive, map_location=args.device)
    names = [n for n in lib._c._method_names() if not n.startswith("_")]
    gen = torch.Generator().manual_seed(0)

    header = ("method", "max abs diff", "det bit-identical", "lib/eager ms*", "status")
    rows, failed = [], 0
    for name in names:
        if name not in CASES:
            rows.append((name, "-", "-", "-", "NO CASE (add one to CASES)"))
            failed += 1
            continue
        try:
            worst, ident, ok, lib_ms, eager_ms = check_method(name, lib, device, gen)
            rows.append((name, "%.3g" % worst, ident, "%.2f/%.2f" % (lib_ms, eager_ms),
                         "PASS" if ok else "FAIL"))
            failed += 0 if ok else 1
        except Exception as e:  # a failing method is a row, not the end of the check
            rows.append((name, "-", "-", "-", "FAIL (%s)" % str(e).splitlines()[0][:50]))
            failed += 1
    for r in index_check_rows(lib, device):
        rows.append((r[0], r[1], r[2], "-", r[3]))
        failed += 0 if r[3].startswith("PASS") else 1
    if args.show_assert and device.type == "cuda":
        r = assert_row(args.archive)
        rows.append((r[0], r[1], r[2], "-", r[3]))

    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "+".join("-" * (w + 2) for w in widths)
    print("djl-gather op library on %s (%s), torch %s, %d det runs, %.1f s"
          % (device, torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
             torch.__version__, RUNS, time.time() - started))
    print(line)
    for r in [header] + rows:
        print("|".join(" %s " % str(c).ljust(w) for c, w in zip(r, widths)))
        if r is header:
            print(line)
    print(line)
    print("* per call, summed over a method's cases; det rows include the backward pass")
    print("%d passed, %d failed" % (len(rows) - failed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
