"""The image family's U-Net in PyTorch eager, step for step as DiffuLab builds it, to time its
training and DDIM sampling against `diffulab bench` on the same machine (issue: training at least
as fast as PyTorch eager on the same network and batch).

    /usr/bin/python3 bench/unet_reference.py --channels 16 --steps 20 --threads 2

Prints pictures a second for training (batch 64, ε-prediction, MSE, AdamW with the gradient
clipped at norm 1) and milliseconds a DDIM step with guidance (two passes of 64). Uses Debian's
python3-torch; nothing is downloaded.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def groups(channels):
    return min(8, math.gcd(channels, 8)) if channels // 4 > 0 else 1


class ResBlock(nn.Module):
    def __init__(self, cin, cout, emb):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups(cin), cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.embed = nn.Linear(emb, cout)
        self.norm2 = nn.GroupNorm(groups(cout), cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = None if cin == cout else nn.Conv2d(cin, cout, 1)

    def forward(self, x, e):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.embed(F.silu(e))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class UNet(nn.Module):
    def __init__(self, c, classes):
        super().__init__()
        e = 4 * c
        self.c = c
        self.time1 = nn.Linear(c, e)
        self.time2 = nn.Linear(e, e)
        self.classes = nn.Embedding(classes + 1, e)
        self.inp = nn.Conv2d(1, c, 3, padding=1)
        self.down1 = ResBlock(c, c, e)
        self.pool1 = nn.Conv2d(c, c, 3, stride=2, padding=1)
        self.down2 = ResBlock(c, 2 * c, e)
        self.pool2 = nn.Conv2d(2 * c, 2 * c, 3, stride=2, padding=1)
        self.mid1 = ResBlock(2 * c, 2 * c, e)
        self.mid2 = ResBlock(2 * c, 2 * c, e)
        self.up2 = ResBlock(4 * c, 2 * c, e)
        self.up1 = ResBlock(3 * c, c, e)
        self.norm_out = nn.GroupNorm(groups(c), c)
        self.out = nn.Conv2d(c, 1, 3, padding=1)

    def sinusoidal(self, t):
        half = self.c // 2
        freq = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000) / half))
        angle = t[:, None] * freq[None, :]
        return torch.cat([angle.sin(), angle.cos()], dim=1)

    def forward(self, x, t, label):
        emb = self.time2(F.silu(self.time1(self.sinusoidal(t)))) + self.classes(label)
        h0 = self.inp(x)
        h1 = self.down1(h0, emb)
        h2 = self.down2(self.pool1(h1), emb)
        m = self.mid2(self.mid1(self.pool2(h2), emb), emb)
        u2 = self.up2(torch.cat([F.interpolate(m, scale_factor=2, mode="nearest"), h2], 1), emb)
        u1 = self.up1(torch.cat([F.interpolate(u2, scale_factor=2, mode="nearest"), h1], 1), emb)
        return self.out(F.silu(self.norm_out(u1)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--channels", type=int, default=16)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = UNet(a.channels, 10)
    opt = torch.optim.AdamW(net.parameters(), lr=1e-4, weight_decay=0.0)
    x0 = torch.rand(a.batch, 1, 28, 28) * 2 - 1
    labels = torch.arange(a.batch) % 10
    alpha_bar = torch.cos(torch.linspace(0, 1, 301)[1:] * math.pi / 2) ** 2

    def step():
        t = torch.randint(1, 301, (a.batch,))
        ab = alpha_bar[t - 1].clamp(1e-4, 1)[:, None, None, None]
        eps = torch.randn_like(x0)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        loss = F.mse_loss(net(xt, t.float(), labels), eps)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()

    step()
    began = time.perf_counter()
    for _ in range(a.steps):
        step()
    train = a.batch * a.steps / (time.perf_counter() - began)
    with torch.no_grad():
        x = torch.randn(a.batch, 1, 28, 28)
        both = torch.cat([labels, torch.full((a.batch,), 10)])
        net(torch.cat([x, x]), torch.full((2 * a.batch,), 100.0), both)
        began = time.perf_counter()
        for _ in range(10):
            net(torch.cat([x, x]), torch.full((2 * a.batch,), 100.0), both)
        ms = (time.perf_counter() - began) * 1000 / 10
    params = sum(p.numel() for p in net.parameters())
    print(f"pytorch {torch.__version__} eager, U-Net channels {a.channels} ({params:,} parameters),"
          f" batch {a.batch}, {a.threads} threads: training {train:.0f} pictures/s,"
          f" DDIM {ms:.1f} ms/step with guidance")


if __name__ == "__main__":
    main()
