"""The compact text form of a layer stack, as typed on the command line and in the app's editor.

Tokens, comma-separated (spaces ignored, case-insensitive):
  conv16x5     16 filters of 5x5, padding 'same' (the output keeps the input's size; k odd)
  conv16x5v    the same with padding 'valid' (only where the kernel fits: 28 -> 24 for k=5)
  pool2        max pooling over 2x2 windows, stride 2 (poolK: K x K windows, stride K)
  dense128     a fully connected layer of 128 units
  dropout0.25  inverted dropout of a quarter of the values, in training only
  flatten      optional: dense layers after images flatten them anyway
The last layer must be dense: it is the output layer (dense10 for digits). Every conv layer and
every other dense layer is followed by the network's activation (ReLU by default); after a conv
layer followed by pooling the activation is applied after the pooling (same result, since max
and a rising function commute; four times fewer values to activate).

parse_layers(text) -> [LayerSpec]; format_layers(specs) -> text; describe_stack(specs,
input_shape) -> one StackRow per layer (output shape, parameters, multiply-adds per image),
raising core.errors.ConfigError that explains what is wrong with an invalid stack.
"""
import re
from dataclasses import dataclass

from core.errors import ConfigError

KINDS = ("conv", "pool", "dense", "dropout", "flatten")
_TOKEN = re.compile(r"^(?:conv(?P<filters>\d+)x(?P<kernel>\d+)(?P<valid>v?)|pool(?P<pool>\d*)|"
                    r"dense(?P<units>\d+)|dropout(?P<rate>\d*\.?\d+)|(?P<flatten>flatten))$")


@dataclass(frozen=True)
class LayerSpec:
    """One layer of a stack: kind is one of KINDS; size is the filter count (conv), unit count
    (dense) or window size (pool); kernel and padding are for conv; rate for dropout."""
    kind: str
    size: int = 0
    kernel: int = 0
    padding: str = "same"
    rate: float = 0.0

    def text(self):
        if self.kind == "conv":
            return f"conv{self.size}x{self.kernel}" + ("v" if self.padding == "valid" else "")
        if self.kind == "pool":
            return f"pool{self.size}"
        if self.kind == "dense":
            return f"dense{self.size}"
        if self.kind == "dropout":
            return f"dropout{self.rate:g}"
        return "flatten"


@dataclass(frozen=True)
class StackRow:
    """One row of describe_stack: output_shape is (H, W, C) for images, (units,) for rows."""
    name: str
    spec: LayerSpec
    output_shape: tuple
    n_params: int
    mult_adds: int

    @property
    def shape_text(self):
        return "x".join(str(s) for s in self.output_shape)


def parse_layers(text):
    """'conv16x5,pool2,dense10' -> [LayerSpec, ...] (syntax only; describe_stack checks sense)."""
    tokens = [t for t in str(text).replace(" ", "").lower().split(",")]
    if tokens == [""]:
        raise ConfigError("the layer list is empty; give layers like conv16x5,pool2,dense128,dense10")
    specs = []
    for position, token in enumerate(tokens, 1):
        match = _TOKEN.match(token)
        if match is None:
            raise ConfigError(f"layer {position} {token!r} is not understood; use conv16x5 (16 filters of 5x5, "
                              f"'same'), conv16x5v ('valid'), pool2, dense128, dropout0.25 or flatten")
        if match["filters"]:
            spec = LayerSpec("conv", int(match["filters"]), int(match["kernel"]),
                             "valid" if match["valid"] else "same")
        elif token.startswith("pool"):
            spec = LayerSpec("pool", int(match["pool"] or 2))
        elif match["units"]:
            spec = LayerSpec("dense", int(match["units"]))
        elif match["rate"]:
            spec = LayerSpec("dropout", rate=float(match["rate"]))
        else:
            spec = LayerSpec("flatten")
        _check_numbers(spec, position, token)
        specs.append(spec)
    return specs


def _check_numbers(spec, position, token):
    where = f"layer {position} {token!r}"
    if spec.kind in ("conv", "dense", "pool") and spec.size < 1:
        raise ConfigError(f"{where}: the count must be at least 1")
    if spec.kind == "conv":
        if spec.kernel < 1:
            raise ConfigError(f"{where}: the kernel must be at least 1x1")
        if spec.padding == "same" and spec.kernel % 2 == 0:
            raise ConfigError(f"{where}: 'same' padding needs an odd kernel (3, 5, 7); "
                              f"use conv{spec.size}x{spec.kernel}v for 'valid'")
    if spec.kind == "dropout" and not 0 <= spec.rate < 1:
        raise ConfigError(f"{where}: the dropout rate must be at least 0 and below 1")


def format_layers(specs):
    """[LayerSpec, ...] -> 'conv16x5,pool2,dense10' (parse_layers reads it back)."""
    return ",".join(spec.text() for spec in specs)


def with_output_units(text, units):
    """(text with its output layer, a dense one, given ``units`` units, that layer's text before)
    for a stack sized for other data; None when there is nothing to change: no stack (the MLP sizes
    its own output), a last layer that is not dense, or already ``units`` units. ConfigError when
    the text does not parse."""
    specs = parse_layers(text) if str(text).strip() else []
    if not specs or specs[-1].kind != "dense" or specs[-1].size == int(units):
        return None
    return format_layers([*specs[:-1], LayerSpec("dense", int(units))]), specs[-1].text()


def as_specs(layers):
    """Text or a list of LayerSpec -> list of LayerSpec."""
    return parse_layers(layers) if isinstance(layers, str) else list(layers)


def describe_stack(specs, input_shape=(28, 28, 1)):
    """One StackRow per layer, checking that the stack makes sense on input_shape (H, W, C).

    Multiply-adds count one per weight use in the forward pass of one image (conv:
    H_out * W_out * C_out * C_in * k * k; dense: inputs * units; pooling and dropout: 0).
    Raises ConfigError naming the layer and the reason for an invalid stack.
    """
    specs = as_specs(specs)
    if not specs:
        raise ConfigError("the stack has no layers; it needs at least an output layer such as dense10")
    if specs[-1].kind != "dense":
        raise ConfigError(f"the last layer is {specs[-1].text()}, but it must be the dense output layer "
                          f"(e.g. dense10 for ten digits)")
    height, width, channels = _hwc(input_shape)
    flat = channels if len(tuple(input_shape)) == 1 else None   # set once the images became rows
    rows, counters = [], {}
    for position, spec in enumerate(specs, 1):
        counters[spec.kind] = counters.get(spec.kind, 0) + 1
        name = "output" if position == len(specs) else f"{spec.kind}{counters[spec.kind]}"
        where = f"layer {position} ({spec.text()})"
        n_params = mult_adds = 0
        if spec.kind in ("conv", "pool") and flat is not None:
            raise ConfigError(f"{where} works on images, but the layers before it already made them "
                              f"a flat vector; put conv and pool layers before the dense layers")
        if spec.kind == "conv":
            if spec.padding == "valid" and (spec.kernel > height or spec.kernel > width):
                raise ConfigError(f"{where}: a {spec.kernel}x{spec.kernel} kernel does not fit a "
                                  f"{height}x{width} map with 'valid' padding")
            if spec.padding == "valid":
                height, width = height - spec.kernel + 1, width - spec.kernel + 1
            taps = channels * spec.kernel * spec.kernel
            n_params = spec.size * (taps + 1)
            mult_adds = height * width * spec.size * taps
            channels = spec.size
        elif spec.kind == "pool":
            if spec.size > height or spec.size > width:
                raise ConfigError(f"{where}: cannot pool a {height}x{width} map with {spec.size}x{spec.size} "
                                  f"windows; remove a pooling layer or use a smaller window")
            height, width = height // spec.size, width // spec.size
        elif spec.kind == "dense":
            n_in = flat if flat is not None else height * width * channels
            n_params = (n_in + 1) * spec.size
            mult_adds = n_in * spec.size
            flat = spec.size
        elif spec.kind == "flatten":
            flat = flat if flat is not None else height * width * channels
        shape = (flat,) if flat is not None else (height, width, channels)
        rows.append(StackRow(name, spec, shape, n_params, mult_adds))
    return rows


def _hwc(input_shape):
    shape = tuple(int(s) for s in input_shape)
    if len(shape) == 1:
        return 1, 1, shape[0]
    if len(shape) == 2:
        return shape[0], shape[1], 1
    if len(shape) == 3:
        return shape
    raise ConfigError(f"the input shape must be (H, W) or (H, W, C), not {input_shape}")


def mlp_specs(hidden_sizes, n_outputs):
    """The stack of a fully connected network: dense layers, the last one the output."""
    return [LayerSpec("dense", int(h)) for h in hidden_sizes] + [LayerSpec("dense", int(n_outputs))]
