"""A CNN + transformer hybrid: ``cnn_transformer_frozen`` and ``cnn_transformer_finetune``.

A later design beyond the review's taxonomy, after TransMed (Dai, Gao & Liu 2021, Diagnostics
11:1384): a pretrained CNN extracts low-level features and a transformer models the relations
between them. Here the registered backbone ``cfg.arch`` runs its blocks
(:meth:`~reproduce.models.backbone.Backbone.forward_blocks`, the last feature map before
pooling); a 1x1 convolution projects the map to :data:`WIDTH` channels and each spatial
position becomes a token; a learned class token is prepended and learned position embeddings
are added; a :class:`torch.nn.TransformerEncoder` (:data:`DEPTH` pre-norm layers, :data:`HEADS`
heads, feed-forward :data:`FFN`, dropout :data:`DROPOUT`, trained from scratch) mixes the
tokens, and a LayerNorm + linear head reads the class token.

Several views per subject (TransMed's modalities): the CNN sees each view, the views' tokens are
concatenated, each view's tokens carrying a learned view embedding, behind one class token.
No multi-view data set is available here, so every registered run is single-view (``views: 1``
in its ``selected`` record); the multi-view path is tested on synthetic tensors.

======================== ====================================================================
approach                 what is trained
======================== ====================================================================
cnn_transformer_frozen   the projection, tokens, transformer and head; the CNN is frozen
                         (BatchNorm in eval mode) and its feature maps are extracted once per
                         run (no augmentation, as for every frozen approach)
cnn_transformer_finetune every layer of the CNN too (with ``cfg.augment``)
======================== ====================================================================

Both choose the learning rate from ``cfg.lr_grid`` and the epoch by validation AUC; the test
split is predicted once. ``flops_per_image`` is counted on the whole network (CNN + token mixer).
"""

from __future__ import annotations

import time

import torch
from torch import nn

from reproduce.approaches.base import (
    ApproachData,
    ApproachOutput,
    Log,
    build_backbone,
    fit_over_lr_grid,
    image_prep,
    n_params,
    prepare_model,
    register_approach,
    to_device_model,
)
from reproduce.engine.config import RunConfig
from reproduce.engine.cost import count_flops
from reproduce.engine.train import DeviceArrays, ImagePrep, _autocast, predict, synchronize

__all__ = [
    "DEPTH",
    "DROPOUT",
    "FFN",
    "HEADS",
    "WIDTH",
    "CNNTransformer",
    "TokenMixer",
    "build_cnn_transformer",
    "feature_map_shape",
]

#: Token width (the 1x1 projection's output channels); at most 256 (issue #18).
WIDTH = 192
#: Transformer encoder layers (2-4 in issue #18).
DEPTH = 2
#: Attention heads.
HEADS = 4
#: Feed-forward width of each encoder layer.
FFN = 384
#: Dropout inside the encoder layers.
DROPOUT = 0.1


class TokenMixer(nn.Module):
    """Feature maps of one or more views -> tokens -> transformer encoder -> logits.

    Parameters
    ----------
    in_channels
        Channels of the CNN's last feature map.
    grid
        ``(h, w)`` of that map (one token per position; position embeddings are learned for it).
    n_classes
        Outputs of the head.
    n_views
        Views per subject; with more than one, each view's tokens get a learned view embedding.
    width, depth, heads, ffn, dropout
        Token width (<= 256), encoder layers, attention heads, feed-forward width, dropout.

    Notes
    -----
    Input: (N, C, h, w) for one view or (N, V, C, h, w); output: logits (N, n_classes).
    """

    def __init__(
        self,
        in_channels: int,
        grid: tuple[int, int],
        n_classes: int,
        *,
        n_views: int = 1,
        width: int = WIDTH,
        depth: int = DEPTH,
        heads: int = HEADS,
        ffn: int = FFN,
        dropout: float = DROPOUT,
    ) -> None:
        super().__init__()
        if not 1 <= width <= 256:
            raise ValueError(f"width={width}: expected 1..256 (issue #18 caps the token width)")
        if n_views < 1:
            raise ValueError(f"n_views={n_views}: expected >= 1")
        self.grid = (int(grid[0]), int(grid[1]))
        self.n_views = int(n_views)
        self.proj = nn.Conv2d(in_channels, width, kernel_size=1)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, width))
        self.pos_embed = nn.Parameter(torch.zeros(1, self.grid[0] * self.grid[1], width))
        self.view_embed = nn.Parameter(torch.zeros(self.n_views, width)) if n_views > 1 else None
        layer = nn.TransformerEncoderLayer(
            width,
            heads,
            ffn,
            dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
        )
        self.encoder = nn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, n_classes)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        if self.view_embed is not None:
            nn.init.trunc_normal_(self.view_embed, std=0.02)

    def tokens(self, maps: torch.Tensor) -> torch.Tensor:
        """Token sequence (N, 1 + V*h*w, width) of feature maps (N, C, h, w) or (N, V, C, h, w).

        Raises
        ------
        ValueError
            The number of views or the map's side differ from those the mixer was built for.
        """
        if maps.ndim == 4:
            maps = maps.unsqueeze(1)
        if maps.ndim != 5:
            raise ValueError(f"expected (N, C, h, w) or (N, V, C, h, w); got {tuple(maps.shape)}")
        n, v, c, h, w = maps.shape
        if v != self.n_views or (h, w) != self.grid:
            raise ValueError(
                f"feature maps of {v} view(s) at {h}x{w}; this mixer was built for "
                f"{self.n_views} view(s) at {self.grid[0]}x{self.grid[1]}"
            )
        t = self.proj(maps.reshape(n * v, c, h, w))  # (N*V, width, h, w)
        t = t.flatten(2).transpose(1, 2) + self.pos_embed  # (N*V, h*w, width)
        t = t.reshape(n, v, h * w, -1)
        if self.view_embed is not None:
            t = t + self.view_embed[None, :, None, :]
        t = t.reshape(n, v * h * w, -1)
        return torch.cat([self.cls_token.expand(n, -1, -1).to(t.dtype), t], dim=1)

    def forward(self, maps: torch.Tensor) -> torch.Tensor:
        """Logits (N, n_classes) from the class token."""
        z = self.encoder(self.tokens(maps))
        return self.head(self.norm(z[:, 0]))


class CNNTransformer(nn.Module):
    """A backbone's last feature map, per view, into a :class:`TokenMixer`.

    Parameters
    ----------
    backbone
        A registered backbone (``forward_blocks``: RGB [0, 1] -> feature map), with
        ``requires_grad`` set (:func:`build_cnn_transformer`).
    mixer
        The token mixer and head.
    frozen_blocks
        Names of backbone blocks that do not train (their BatchNorm stays in eval mode).

    Notes
    -----
    Input: images (N, 3, H, W) for one view or (N, V, 3, H, W); output: logits.
    """

    def __init__(
        self, backbone: nn.Module, mixer: TokenMixer, frozen_blocks: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        self.backbone = backbone
        self.mixer = mixer
        self.frozen_blocks = tuple(frozen_blocks)

    def feature_maps(self, x: torch.Tensor) -> torch.Tensor:
        """The CNN's feature maps: (N, C, h, w) for (N, 3, H, W), (N, V, C, h, w) for views."""
        if x.ndim == 5:
            n, v = x.shape[:2]
            m = self.backbone.forward_blocks(x.flatten(0, 1))
            return m.reshape(n, v, *m.shape[1:])
        return self.backbone.forward_blocks(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits (N, n_classes) of RGB images in [0, 1] (one or several views)."""
        return self.mixer(self.feature_maps(x))

    def train(self, mode: bool = True) -> CNNTransformer:
        """Set training mode, then put the frozen blocks back in eval mode."""
        super().train(mode)
        if mode and self.frozen_blocks:
            frozen = set(self.frozen_blocks)
            for name, module in self.backbone.blocks.items():
                if name in frozen:
                    module.eval()
        return self


def feature_map_shape(backbone: nn.Module, resolution: int) -> tuple[int, int, int]:
    """``(C, h, w)`` of the backbone's last feature map at ``resolution`` (one CPU forward).

    Raises
    ------
    ValueError
        When the last block's output is not a spatial map (e.g. a fully connected block).
    """
    was = backbone.training
    backbone.eval()
    p = next(backbone.parameters())
    with torch.no_grad():
        m = backbone.forward_blocks(torch.zeros(1, 3, resolution, resolution, device=p.device))
    backbone.train(was)
    if m.ndim != 4:
        raise ValueError(
            f"{backbone.spec.name}: its last block gives {tuple(m.shape)}, not a feature map "
            "(N, C, h, w); cnn_transformer needs a convolutional last block"
        )
    return int(m.shape[1]), int(m.shape[2]), int(m.shape[3])


def build_cnn_transformer(
    cfg: RunConfig, n_classes: int, *, n_views: int = 1, **mixer_kw: int | float
) -> CNNTransformer:
    """The CNN of ``cfg`` (frozen for ``cnn_transformer_frozen``, else every layer trains) and a
    fresh token mixer sized for its feature map at ``cfg.resolution``."""
    prepared = prepare_model(build_backbone(cfg.arch, cfg.source), cfg.approach, None, n_classes)
    bb = prepared.backbone
    c, h, w = feature_map_shape(bb, int(cfg.resolution or bb.spec.default_resolution))
    mixer = TokenMixer(c, (h, w), n_classes, n_views=n_views, **mixer_kw)  # type: ignore[arg-type]
    return CNNTransformer(bb, mixer, prepared.frozen_blocks)


def _record(model: CNNTransformer) -> dict[str, int]:
    m = model.mixer
    return {
        "views": m.n_views,
        "tokens": 1 + m.n_views * m.grid[0] * m.grid[1],
        "grid": f"{m.grid[0]}x{m.grid[1]}",
        "width": int(m.proj.out_channels),
        "depth": len(m.encoder.layers),
        "params_cnn": sum(p.numel() for p in model.backbone.parameters()),
        "params_mixer": sum(p.numel() for p in m.parameters()),
    }


@torch.no_grad()
def _maps(
    model: CNNTransformer, images: DeviceArrays, prep: ImagePrep, batch_size: int, device: str
) -> DeviceArrays:
    """The frozen CNN's feature maps of a split, kept on the device (float32)."""
    model.eval()
    out = []
    for start in range(0, len(images), batch_size):
        xb = prep(images.x[start : start + batch_size], False, None)
        with _autocast(device, device.startswith("cuda")):
            out.append(model.feature_maps(xb).float())
    x = torch.cat(out) if out else torch.zeros(0, device=device)
    return DeviceArrays(x=x, y=images.y, ids=images.ids)


@register_approach("cnn_transformer_frozen", frozen=True)
def fit_cnn_transformer_frozen(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """cnn_transformer_frozen: the frozen CNN's feature maps once, then the token mixer on them.

    The maps of the training split (``cfg``'s fraction), validation and test are computed once
    per run on the device (not cached on disk: they are large); one fresh mixer per learning
    rate is trained on them for ``cfg.epochs`` and the best by validation AUC is kept.
    """
    train, val, test, n_classes = data.train, data.val, data.test, data.n_classes
    torch.manual_seed(cfg.seed)
    model = to_device_model(build_cnn_transformer(cfg, n_classes), device)
    prep = image_prep(cfg, device, False)
    bs = max(cfg.batch_size, 256)
    synchronize(device)
    t0 = time.perf_counter()
    maps = {
        name: _maps(
            model, DeviceArrays.from_images(a.images, a.labels, a.ids, device), prep, bs, device
        )
        for name, a in (("train", train), ("val", val), ("test", test))
    }
    synchronize(device)
    extract_s = time.perf_counter() - t0
    c, h, w = maps["train"].x.shape[1:]

    def make_mixer() -> nn.Module:
        return TokenMixer(int(c), (int(h), int(w)), n_classes).to(device)

    lr, res, mixer = fit_over_lr_grid(
        cfg,
        make_mixer,
        maps["train"],
        maps["val"],
        prep=None,
        device=device,
        log=log,
        stage="train_mixer",
        quiet=quiet,
    )
    assert isinstance(mixer, TokenMixer)
    probs = predict(
        mixer, maps["test"], None, batch_size=2 * cfg.batch_size, device=device, quiet=quiet
    )
    model.mixer = mixer
    return ApproachOutput(
        test_probs=probs,
        val_metrics=res.best_val,
        best_epoch=res.best_epoch,
        selected={"lr": lr, "epoch": res.best_epoch, **_record(model)},
        trainable_params=n_params(model, True),
        total_params=n_params(model, False),
        flops_per_image=count_flops(model, int(cfg.resolution or 0), device),
        feature_cache_hit=False,
        feature_extract_s=extract_s,
        model=model,
    )


@register_approach("cnn_transformer_finetune")
def fit_cnn_transformer(
    cfg: RunConfig, data: ApproachData, *, device: str, log: Log, quiet: bool
) -> ApproachOutput:
    """cnn_transformer_finetune: every CNN layer, the token mixer and the head, end to end."""
    train, val, test, n_classes = data.train, data.val, data.test, data.n_classes
    dtr = DeviceArrays.from_images(train.images, train.labels, train.ids, device)
    dva = DeviceArrays.from_images(val.images, val.labels, val.ids, device)
    prep = image_prep(cfg, device, cfg.augment)
    lr, res, model = fit_over_lr_grid(
        cfg,
        lambda: to_device_model(build_cnn_transformer(cfg, n_classes), device),
        dtr,
        dva,
        prep=prep,
        device=device,
        log=log,
        stage="train",
        quiet=quiet,
    )
    assert isinstance(model, CNNTransformer)
    dte = DeviceArrays.from_images(test.images, test.labels, test.ids, device)
    probs = predict(model, dte, prep, batch_size=2 * cfg.batch_size, device=device, quiet=quiet)
    return ApproachOutput(
        test_probs=probs,
        val_metrics=res.best_val,
        best_epoch=res.best_epoch,
        selected={"lr": lr, "epoch": res.best_epoch, **_record(model)},
        trainable_params=n_params(model, True),
        total_params=n_params(model, False),
        flops_per_image=count_flops(model, int(cfg.resolution or 0), device),
        model=model,
    )
