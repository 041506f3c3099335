"""The landscape of the synthetic province: its outline, terrain line, urban centres and the
target cell area field that sets the size of the communes (all in km around the projection centre).

The outline is an irregular star-shaped blob scaled so that ``n_main`` cells of the target areas
fill it; the terrain line is placed so that about a third of the cells lie in the mountains west of
it. :class:`Landscape` draws every number from the caller's generator, in a fixed order.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, Polygon

__all__ = ["LOWLAND_AREA", "MOUNTAIN_AREA", "WARD_SHARE_CAPITAL", "WARD_SHARE_TOWN", "Landscape"]

# Mean target cell area (km2) by zone, and the core cell area of urban centres.
MOUNTAIN_AREA = 78.0
LOWLAND_AREA = 19.5
_CAPITAL_CORE = 1.8
_TOWN_CORE = 2.2
#: Share of the cells of the capital's and of a town's district that are wards.
WARD_SHARE_CAPITAL = 0.6
WARD_SHARE_TOWN = 0.4


class _Field:
    """Smooth random scalar field with roughly standard-normal values (random Fourier features)."""

    def __init__(self, rng: np.random.Generator, length_km: float, n: int = 32) -> None:
        self.k = rng.normal(0.0, 1.0 / length_km, size=(n, 2))
        self.phase = rng.uniform(0.0, 2 * math.pi, size=n)
        self.scale = math.sqrt(2.0 / n)

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        arg = np.multiply.outer(x, self.k[:, 0]) + np.multiply.outer(y, self.k[:, 1]) + self.phase
        return self.scale * np.cos(arg).sum(axis=-1)


class Landscape:
    """Province outline and the fields that drive the size of the communes.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of every random number (drawn in a fixed order).
    n_main : int
        Number of mainland cells the outline must hold.
    n_districts : int
        Number of districts.
    n_mountain_d : int
        Number of them in the mountain zone.
    n_towns : int
        Number of towns besides the capital.

    Attributes
    ----------
    outline : shapely.Polygon
        The province (km), of radius about ``R``.
    centres : list of tuple of float
        ``(x, y, core area, sigma)`` of the capital, then of each town (km, km2, km).
    n_districts, n_mountain_d, n_towns : int
        The counts given.
    """

    def __init__(
        self,
        rng: np.random.Generator,
        n_main: int,
        n_districts: int,
        n_mountain_d: int,
        n_towns: int,
    ) -> None:
        self.norm = _outline(rng)
        # Terrain line (normalised): mountains west of x = t + wave(y).
        self.wave = (rng.uniform(0.06, 0.12), rng.uniform(1.8, 2.8), rng.uniform(0, 2 * math.pi))
        self.wave2 = (rng.uniform(0.02, 0.05), rng.uniform(4.0, 6.0), rng.uniform(0, 2 * math.pi))
        self.f_mountain = _Field(rng, 22.0)
        self.f_lowland = _Field(rng, 14.0)
        # Fixed candidate sites for urban centres (normalised), with a jitter to break ties.
        cand = rng.uniform(-1.6, 1.6, size=(4000, 2))
        cand = cand[shapely.contains_xy(self.norm, cand[:, 0], cand[:, 1])][:700]
        self.cand = cand
        self.cand_jitter = rng.uniform(0.0, 0.05, size=len(cand))
        self.cand_edge = shapely.distance(shapely.points(cand), shapely.boundary(self.norm))
        self.y_capital = rng.uniform(-0.25, 0.25)
        cut = shapely.intersection(
            LineString([(-3.0, self.y_capital), (3.0, self.y_capital)]), self.norm
        )
        self.x_east = float(shapely.bounds(cut)[2])  # east coast at the capital's latitude
        self.n_towns = n_towns
        size = n_main / n_districts
        self.sigma_capital = math.sqrt(WARD_SHARE_CAPITAL * size / 0.2)
        self.sigma_town = math.sqrt(WARD_SHARE_TOWN * size / 0.2)
        self.mountain_share = n_mountain_d / n_districts
        self.n_districts = n_districts
        self.n_mountain_d = n_mountain_d
        self._solve(n_main)

    def line_x(self, yn: np.ndarray) -> np.ndarray:
        """Normalised x of the terrain line at normalised ``yn`` (before adding ``t``)."""
        a1, f1, p1 = self.wave
        a2, f2, p2 = self.wave2
        return a1 * np.sin(f1 * yn + p1) + a2 * np.sin(f2 * yn + p2)

    def is_mountain(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Whether points lie west of the terrain line.

        Parameters
        ----------
        x, y : numpy.ndarray
            Coordinates in km.

        Returns
        -------
        numpy.ndarray of bool
            True for the points in the mountain zone.
        """
        return np.asarray(x) / self.R < self.t + self.line_x(np.asarray(y) / self.R)

    def target_area(
        self,
        x: np.ndarray,
        y: np.ndarray,
        cache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> np.ndarray:
        """Target cell area at points.

        Parameters
        ----------
        x, y : numpy.ndarray
            Coordinates in km.
        cache : tuple of numpy.ndarray, optional
            The values at these points of the two fields and of :meth:`line_x`, when known.

        Returns
        -------
        numpy.ndarray
            Target area (km2) of a cell at each point.
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if cache is None:
            cache = (self.f_mountain(x, y), self.f_lowland(x, y), self.line_x(y / self.R))
        fm, fl, lx = cache
        # Smooth step (a few km wide) across the terrain line keeps the field continuous.
        beyond = (self.R * (self.t + lx) - x) / 2.0
        m = 0.5 * (1.0 + np.tanh(beyond))
        a = np.exp(
            m * (math.log(MOUNTAIN_AREA) + 0.3 * fm - self.offset[0])
            + (1 - m) * (math.log(LOWLAND_AREA) + 0.2 * fl - self.offset[1])
        )
        for cx, cy, core, sigma in self.centres:
            w = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / sigma**2)
            a = a - (a - core) * w
        return a

    def _place_centres(self, t: float, radius: float) -> list[tuple[float, float, float, float]]:
        cand = self.cand
        margin = cand[:, 0] - (t + self.line_x(cand[:, 1]))
        ok = (margin >= 0.22) & (self.cand_edge >= 0.12)
        if ok.sum() < 1 + self.n_towns:
            ok = margin >= np.sort(margin)[-(1 + self.n_towns)]
        idx = np.flatnonzero(ok)
        pts = cand[idx]
        # Capital: a little inland from the east coast, at latitude y_capital.
        target = np.array([self.x_east - 0.3, self.y_capital])
        chosen = [int(idx[np.argmin(np.hypot(*(pts - target).T))])]
        for _ in range(self.n_towns):
            d = np.min(
                np.hypot(
                    pts[:, None, 0] - cand[chosen][None, :, 0],
                    pts[:, None, 1] - cand[chosen][None, :, 1],
                ),
                axis=1,
            )
            chosen.append(int(idx[np.argmax(d + self.cand_jitter[idx])]))
        out = []
        for n, c in enumerate(chosen):
            if n == 0:
                core, sigma = _CAPITAL_CORE, self.sigma_capital
            else:
                core, sigma = _TOWN_CORE, self.sigma_town
            out.append((float(cand[c, 0] * radius), float(cand[c, 1] * radius), core, sigma))
        return out

    def _solve(self, n_main: int) -> None:
        """Scale the outline and place the terrain line: ``n_main`` cells, a third mountainous."""
        self.R = math.sqrt(n_main * 34.0 / math.pi)
        self.t = 0.0
        self.offset = (0.0, 0.0)
        for _ in range(4):
            self.outline = affinity.scale(self.norm, self.R, self.R, origin=(0, 0))
            total = self._place_terrain_line()
            self.R *= math.sqrt(n_main / total)
        self.outline = affinity.scale(self.norm, self.R, self.R, origin=(0, 0))
        self.centres = self._place_centres(self.t, self.R)

    def _place_terrain_line(self) -> float:
        """Bisect ``t`` so that the mountains hold their share of the cells of the current outline.

        Returns the number of cells of the target areas that the outline holds.
        """
        h = self.R / 70.0
        minx, miny, maxx, maxy = self.outline.bounds
        gx, gy = np.meshgrid(np.arange(minx, maxx, h) + h / 2, np.arange(miny, maxy, h) + h / 2)
        inside = shapely.contains_xy(self.outline, gx.ravel(), gy.ravel())
        gx, gy = gx.ravel()[inside], gy.ravel()[inside]
        cache = (self.f_mountain(gx, gy), self.f_lowland(gx, gy), self.line_x(gy / self.R))
        lo, hi = -1.5, 1.5
        for _ in range(16):
            self.t = 0.5 * (lo + hi)
            self.centres = self._place_centres(self.t, self.R)
            # Log offsets so that the mean cell area of each zone is the nominal one whatever
            # the random fields are (harmonic mean of the field over the zone).
            mask = gx / self.R < self.t + cache[2]
            self.offset = (
                _log_harmonic_mean(0.3 * cache[0][mask]),
                _log_harmonic_mean(0.2 * cache[1][~mask]),
            )
            inv = h * h / self.target_area(gx, gy, cache)
            share = inv[mask].sum() / inv.sum()
            if share > self.mountain_share:
                hi = self.t
            else:
                lo = self.t
        return inv.sum()


def _outline(rng: np.random.Generator) -> Polygon:
    """Outline of unit-equivalent radius (area pi), star-shaped around the origin."""
    theta = np.linspace(0.0, 2 * math.pi, 240, endpoint=False)
    r = np.ones_like(theta)
    for k in range(2, 8):
        amp = rng.uniform(0.04, 0.13) / k**0.5
        r += amp * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    for k in range(8, 30):
        r += rng.uniform(0.0, 0.012) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    r = np.maximum(r, 0.55)
    aspect = rng.uniform(0.85, 1.2)
    xy = np.column_stack([r * np.cos(theta) / math.sqrt(aspect), r * np.sin(theta)])
    xy[:, 1] *= math.sqrt(aspect)
    shape = Polygon(xy)
    return affinity.scale(
        shape, math.sqrt(math.pi / shape.area), math.sqrt(math.pi / shape.area), origin=(0, 0)
    )


def _log_harmonic_mean(log_values: np.ndarray) -> float:
    """Log of the harmonic mean of ``exp(log_values)`` (0 for an empty array)."""
    if log_values.size == 0:
        return 0.0
    return float(-np.log(np.mean(np.exp(-log_values))))
