#!/usr/bin/env python3
"""
The PyTorch side of `ganvas bench`: the same networks, losses and Adam steps as the Ganvas engine,
timed the same way, so each row of the benchmark can be given as a ratio Ganvas / PyTorch measured
in the same run on the same machine.

  python3 bench/pytorch_bench.py --probe
      prints the versions, core count and the BLAS library torch loaded, as JSON
  python3 bench/pytorch_bench.py --params [--json]
      prints the parameter counts of the published networks and checks them
      (unet_256 54,413,955; resnet_9blocks 11,378,179, as the pix2pix/CycleGAN reference code has them)
  python3 bench/pytorch_bench.py --threads 1 --plan '{"id": "unet.infer", "size": 256, ...}'
      runs one benchmark row (the plan comes from src/engine/bench/rows.ts) and prints one JSON line:
      {"ok": true, "samplesMs": [...], "warmupMs": [...], "params": N, "peakRssMb": M, ...}

Networks (NCHW, float32, CPU), each written out like its paper's table:
  U-Net      Isola et al. 2017 (unet_256: 8 downsamplings, BatchNorm, dropout in the three ngf*8
             decoder blocks next to the innermost one)
  ResNet     Zhu et al. 2017 (c7s1-64, d128, d256, R256 x blocks, u128, u64, c7s1-3; reflection
             padding, instance norm without affine parameters)
  PatchGAN   70x70 (n_layers 3): BatchNorm for Pix2Pix, instance norm for CycleGAN
  DCGAN      Radford et al. 2016 at 64 px, bias only where Ganvas has it (first D conv, the logits, to_rgb)
One training iteration is what the Ganvas trainer does in one step:
  Pix2Pix    fake = G(A); D step on ½[BCE(D(A,fake), 0) + BCE(D(A,B), 1)]; G step on
             BCE(D(A,fake), 1) + 100·|fake − B|₁   (the reference code's single G forward)
  CycleGAN   G step over both generators: LSGAN + 10·cycle + 0.5·10·identity, then the D_A and D_B
             step on ½[MSE(D(real), 1) + MSE(D(pool(fake)), 0)] each (50-image pools)
  DCGAN      D step on BCE(D(x), 1) + BCE(D(G(z)), 0); G step on BCE(D(G(z')), 1) with fresh z';
             then the exponential moving average of G (decay 0.999, Ganvas's default)
Adam lr 2e-4, betas (0.5, 0.999), eps 1e-8 everywhere, one optimiser per role as published.
Inference runs in eval mode under torch.no_grad().
"""
import argparse
import json
import math
import os
import random
import resource
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
from torch import nn

PUBLISHED_PARAMS = {"unet_256": 54_413_955, "resnet_9blocks": 11_378_179}


# ---------------------------------------------------------------- networks


class UNet(nn.Module):
    """C64 (no norm) · C128 · C256 · C512 ×(levels−3, the innermost without norm); the decoder
    mirrors it, each level taking [skip, previous] concatenated; LeakyReLU 0.2 down, ReLU up."""

    def __init__(self, levels=8, ngf=64, cin=3, cout=3):
        super().__init__()
        width = lambda level: ngf * min(2**level, 8)
        self.levels = levels
        self.down = nn.ModuleList()
        self.down_norm = nn.ModuleList()
        for level in range(levels):
            c_in = cin if level == 0 else width(level - 1)
            self.down.append(nn.Conv2d(c_in, width(level), 4, 2, 1, bias=False))
            inner = 0 < level < levels - 1
            self.down_norm.append(nn.BatchNorm2d(width(level)) if inner else nn.Identity())
        self.up = nn.ModuleDict()
        for level in range(levels - 1, 0, -1):
            c_in = width(level) if level == levels - 1 else 2 * width(level)
            dropout = nn.Dropout(0.5) if 4 <= level <= levels - 2 else nn.Identity()
            self.up[str(level)] = nn.Sequential(
                nn.ConvTranspose2d(c_in, width(level - 1), 4, 2, 1, bias=False), nn.BatchNorm2d(width(level - 1)), dropout
            )
        self.head = nn.ConvTranspose2d(2 * width(0), cout, 4, 2, 1)

    def forward(self, x):
        skips = []
        for level in range(self.levels):
            if level > 0:
                x = F.leaky_relu(x, 0.2)
            x = self.down_norm[level](self.down[level](x))
            skips.append(x)
        for level in range(self.levels - 1, 0, -1):
            x = self.up[str(level)](F.relu(x))
            x = torch.cat([skips[level - 1], x], 1)
        return torch.tanh(self.head(F.relu(x)))


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c), nn.ReLU(True),
            nn.ReflectionPad2d(1), nn.Conv2d(c, c, 3), nn.InstanceNorm2d(c),
        )

    def forward(self, x):
        return x + self.body(x)


def resnet(blocks=9, ngf=64, cin=3, cout=3):
    """c7s1-64 · d128 · d256 · R256 × blocks · u128 · u64 · c7s1-3 + tanh."""
    layers = [nn.ReflectionPad2d(3), nn.Conv2d(cin, ngf, 7), nn.InstanceNorm2d(ngf), nn.ReLU(True)]
    for mult in (1, 2):
        layers += [nn.Conv2d(ngf * mult, ngf * mult * 2, 3, 2, 1), nn.InstanceNorm2d(ngf * mult * 2), nn.ReLU(True)]
    layers += [ResBlock(ngf * 4) for _ in range(blocks)]
    for mult in (4, 2):
        layers += [nn.ConvTranspose2d(ngf * mult, ngf * mult // 2, 3, 2, 1, output_padding=1), nn.InstanceNorm2d(ngf * mult // 2), nn.ReLU(True)]
    layers += [nn.ReflectionPad2d(3), nn.Conv2d(ngf, cout, 7), nn.Tanh()]
    return nn.Sequential(*layers)


def patchgan(cin, ndf=64, norm="batch", n_layers=3):
    """C64 (no norm) · C128 · C256 · C512 (stride 1) · 1-channel logits; all 4×4, padding 1."""
    batch = norm == "batch"
    norm_layer = nn.BatchNorm2d if batch else nn.InstanceNorm2d
    layers = [nn.Conv2d(cin, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
    c = ndf
    for n in range(1, n_layers + 1):
        out = ndf * min(2**n, 8)
        layers += [nn.Conv2d(c, out, 4, 2 if n < n_layers else 1, 1, bias=not batch), norm_layer(out), nn.LeakyReLU(0.2, True)]
        c = out
    layers += [nn.Conv2d(c, 1, 4, 1, 1)]
    return nn.Sequential(*layers)


def dcgan_levels(size):
    return int(math.log2(size)) - 2


def dcgan_generator(size=64, z=128, ngf=64):
    """z → ConvT 4×4 to 4×4×(ngf·2ⁿ⁻¹) · ConvT 4×4 s2 + BN + ReLU halving the width · ConvT to RGB + tanh."""
    levels = dcgan_levels(size)
    c = ngf * 2 ** (levels - 1)
    layers = [nn.ConvTranspose2d(z, c, 4, 1, 0, bias=False), nn.BatchNorm2d(c), nn.ReLU(True)]
    for _ in range(1, levels):
        layers += [nn.ConvTranspose2d(c, c // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c // 2), nn.ReLU(True)]
        c //= 2
    layers += [nn.ConvTranspose2d(c, 3, 4, 2, 1), nn.Tanh()]
    return nn.Sequential(*layers)


def dcgan_discriminator(size=64, ndf=64):
    """Conv 4×4 s2 + LeakyReLU (no norm first) · Conv + BN + LeakyReLU doubling the width · 1 logit."""
    levels = dcgan_levels(size)
    layers = [nn.Conv2d(3, ndf, 4, 2, 1), nn.LeakyReLU(0.2, True)]
    c = ndf
    for _ in range(1, levels):
        layers += [nn.Conv2d(c, c * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(c * 2), nn.LeakyReLU(0.2, True)]
        c *= 2
    layers += [nn.Conv2d(c, 1, 4, 1, 0), nn.Flatten()]
    return nn.Sequential(*layers)


def count(*nets):
    return sum(p.numel() for net in nets for p in net.parameters())


def adam(*nets):
    return torch.optim.Adam([p for net in nets for p in net.parameters()], lr=2e-4, betas=(0.5, 0.999), eps=1e-8)


def requires_grad(net, on):
    for p in net.parameters():
        p.requires_grad_(on)


# ---------------------------------------------------------------- one iteration of each family


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


def mse(x, target):
    return F.mse_loss(x, torch.full_like(x, float(target)))


class ImagePool:
    """Shrivastava et al.'s history buffer: the newest image until full, then half the time an older one."""

    def __init__(self, capacity=50):
        self.capacity, self.images = capacity, []

    def query(self, batch):
        out = []
        for image in batch.detach():
            if len(self.images) < self.capacity:
                self.images.append(image.clone())
                out.append(image)
            elif random.random() < 0.5:
                slot = random.randrange(self.capacity)
                out.append(self.images[slot])
                self.images[slot] = image.clone()
            else:
                out.append(image)
        return torch.stack(out)


def pix2pix(plan):
    S = plan["size"]
    G = UNet(int(math.log2(S)), plan["ngf"]).train()
    D = patchgan(6, plan["ndf"], "batch").train()
    opt_g, opt_d = adam(G), adam(D)
    a, b = torch.rand(1, 3, S, S) * 2 - 1, torch.rand(1, 3, S, S) * 2 - 1

    def step():
        fake = G(a)
        requires_grad(D, True)
        opt_d.zero_grad(set_to_none=True)
        d_loss = 0.5 * (bce(D(torch.cat([a, fake.detach()], 1)), 0) + bce(D(torch.cat([a, b], 1)), 1))
        d_loss.backward()
        opt_d.step()
        requires_grad(D, False)
        opt_g.zero_grad(set_to_none=True)
        g_loss = bce(D(torch.cat([a, fake], 1)), 1) + 100 * F.l1_loss(fake, b)
        g_loss.backward()
        opt_g.step()

    return step, count(G, D)


def cyclegan(plan):
    S = plan["size"]
    GA, GB = resnet(plan["blocks"], plan["ngf"]).train(), resnet(plan["blocks"], plan["ngf"]).train()
    DA, DB = patchgan(3, plan["ndf"], "instance").train(), patchgan(3, plan["ndf"], "instance").train()
    opt_g, opt_d = adam(GA, GB), adam(DA, DB)
    pool_a, pool_b = ImagePool(), ImagePool()
    a, b = torch.rand(1, 3, S, S) * 2 - 1, torch.rand(1, 3, S, S) * 2 - 1
    lam, idt = 10.0, 0.5

    def step():
        requires_grad(DA, False)
        requires_grad(DB, False)
        opt_g.zero_grad(set_to_none=True)
        fake_b, fake_a = GA(a), GB(b)
        loss = mse(DA(fake_b), 1) + mse(DB(fake_a), 1)
        loss = loss + lam * F.l1_loss(GB(fake_b), a) + lam * F.l1_loss(GA(fake_a), b)
        loss = loss + lam * idt * F.l1_loss(GA(b), b) + lam * idt * F.l1_loss(GB(a), a)
        loss.backward()
        opt_g.step()
        requires_grad(DA, True)
        requires_grad(DB, True)
        opt_d.zero_grad(set_to_none=True)
        d_a = 0.5 * (mse(DA(b), 1) + mse(DA(pool_b.query(fake_b)), 0))
        d_b = 0.5 * (mse(DB(a), 1) + mse(DB(pool_a.query(fake_a)), 0))
        (d_a + d_b).backward()
        opt_d.step()

    return step, count(GA, GB, DA, DB)


def dcgan(plan):
    S, n, z = plan["size"], plan["batch"], plan["z"]
    G = dcgan_generator(S, z, plan["ngf"]).train()
    D = dcgan_discriminator(S, plan["ndf"]).train()
    ema = dcgan_generator(S, z, plan["ngf"]).eval()
    ema.load_state_dict(G.state_dict())
    requires_grad(ema, False)
    opt_g, opt_d = adam(G), adam(D)
    real = torch.rand(n, 3, S, S) * 2 - 1
    steps = [0]

    def step():
        with torch.no_grad():
            fake = G(torch.randn(n, z, 1, 1))
        requires_grad(D, True)
        opt_d.zero_grad(set_to_none=True)
        (bce(D(real), 1) + bce(D(fake), 0)).backward()
        opt_d.step()
        requires_grad(D, False)
        opt_g.zero_grad(set_to_none=True)
        bce(D(G(torch.randn(n, z, 1, 1))), 1).backward()
        opt_g.step()
        beta = min(0.999, (1 + steps[0]) / (10 + steps[0]))
        steps[0] += 1
        with torch.no_grad():
            for target, source in zip(ema.parameters(), G.parameters()):
                target.lerp_(source, 1 - beta)
            for target, source in zip(ema.buffers(), G.buffers()):
                target.copy_(source)

    return step, count(G, D)


# ---------------------------------------------------------------- rows


def network(plan):
    """The network an inference or load row measures, and its input."""
    family, S = plan["id"].split(".")[0], plan["size"]
    if family == "unet":
        return UNet(int(math.log2(S)), plan["ngf"]), torch.rand(plan["batch"], 3, S, S) * 2 - 1
    if family == "resnet":
        return resnet(plan["blocks"], plan["ngf"]), torch.rand(plan["batch"], 3, S, S) * 2 - 1
    if family == "dcgan":
        return dcgan_generator(S, plan["z"], plan["ngf"]), torch.randn(plan["batch"], plan["z"], 1, 1)
    raise ValueError(f"unknown network for row {plan['id']}")


def timed(fn, warmup, reps):
    warm, samples = [], []
    for i in range(warmup + reps):
        start = time.perf_counter()
        fn()
        (warm if i < warmup else samples).append((time.perf_counter() - start) * 1000)
    return warm, samples


def run_row(plan):
    kind = plan["id"].split(".")[1]
    if kind == "train":
        make = {"pix2pix": pix2pix, "cyclegan": cyclegan, "dcgan": dcgan}[plan["id"].split(".")[0]]
        step, params = make(plan)
        warm, samples = timed(step, plan["warmup"], plan["reps"])
        return {"warmupMs": warm, "samplesMs": samples, "params": params}
    if kind == "infer":
        net, x = network(plan)
        net.eval()

        def infer():
            with torch.no_grad():
                net(x)

        warm, samples = timed(infer, plan["warmup"], plan["reps"])
        per_image = lambda ms: [t / plan["batch"] for t in ms]
        return {"warmupMs": per_image(warm), "samplesMs": per_image(samples), "params": count(net)}
    if kind == "load":
        # Loading = building the module and reading its saved state dict (what a PyTorch app does).
        net, _ = network(plan)
        params = count(net)
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "weights.pt")
            torch.save(net.state_dict(), path)
            del net

            def load():
                fresh, _ = network(plan)
                fresh.load_state_dict(torch.load(path))
                fresh.eval()

            warm, samples = timed(load, plan["warmup"], plan["reps"])
        return {"warmupMs": warm, "samplesMs": samples, "params": params}
    raise ValueError(f"unknown bench row {plan['id']!r}")


def param_counts():
    return {
        "unet_256": count(UNet(8, 64)),
        "resnet_9blocks": count(resnet(9, 64)),
        "patchgan_pix2pix": count(patchgan(6, 64, "batch")),
        "patchgan_cyclegan": count(patchgan(3, 64, "instance")),
        "dcgan_64_G": count(dcgan_generator(64, 128, 64)),
        "dcgan_64_D": count(dcgan_discriminator(64, 64)),
    }


def check_params(as_json):
    counts = param_counts()
    ok = all(counts[k] == n for k, n in PUBLISHED_PARAMS.items())
    if as_json:
        print(json.dumps({"ok": ok, "counts": counts, "published": PUBLISHED_PARAMS}))
        return ok
    for name, n in counts.items():
        published = PUBLISHED_PARAMS.get(name)
        mark = "" if published is None else "  ok (published)" if n == published else f"  MISMATCH (published {published:,})"
        print(f"{name:18s} {n:>12,}{mark}")
    return ok


def probe():
    """What run.ts records about this PyTorch: versions, cores, and which BLAS it really loaded
    (Debian's python3-torch uses the system libblas.so.3: the reference BLAS unless OpenBLAS is installed)."""
    config = torch.__config__.show()
    blas_info = next((part.split("=", 1)[1] for part in config.replace("\n", ",").split(",") if part.strip().startswith("BLAS_INFO=")), None)
    libraries = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "blas" in os.path.basename(path).lower():
                    libraries.add(os.path.realpath(path))
    except OSError:
        pass
    return {
        "pythonVersion": sys.version.split()[0],
        "torch": torch.__version__,
        "cpuCount": os.cpu_count(),
        "blas": ", ".join(sorted(libraries)) or blas_info or "unknown",
        "mkldnn": torch.backends.mkldnn.is_available(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", help="one row's plan as JSON (from src/engine/bench/rows.ts)")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--params", action="store_true", help="print and check parameter counts")
    parser.add_argument("--json", action="store_true", help="with --params: print them as JSON")
    parser.add_argument("--probe", action="store_true", help="print versions, cores and the BLAS torch uses, as JSON")
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe()))
        return
    if args.params:
        sys.exit(0 if check_params(args.json) else 1)
    if not args.plan:
        parser.error("--plan or --params is required")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    random.seed(0)
    plan = json.loads(args.plan)
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "python": sys.version.split()[0]}
    try:
        result = run_row(plan)
    except Exception as error:  # reported as a failed row; the other rows still run
        print(json.dumps({"ok": False, "reason": f"{type(error).__name__}: {error}".splitlines()[0], **info}))
        sys.exit(1)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"ok": True, **result, "peakRssMb": round(peak_rss_mb, 1), **info}))


if __name__ == "__main__":
    main()
