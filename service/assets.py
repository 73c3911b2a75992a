"""Browser libraries and map data from npm (web/node_modules, pinned by web/package-lock.json and
installed by `make install`), served by the app itself: never a CDN, never a tile server.

Only the files listed here are reachable, each under a short name: /vendor/lib/<name>.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from service.errors import ApiError

bp = Blueprint("assets", __name__)

WEB_MODULES = Path(__file__).resolve().parent.parent / "web" / "node_modules"
FILES = {
    "d3-array.min.js": "d3-array/dist/d3-array.min.js",
    "d3-geo.min.js": "d3-geo/dist/d3-geo.min.js",
    "d3-path.min.js": "d3-path/dist/d3-path.min.js",
    # the Albers USA projection with Puerto Rico, the Virgin Islands, Guam, the Northern Mariana Islands
    # and American Samoa as insets (d3-geo's own geoAlbersUsa has Alaska and Hawaii only)
    "d3-composite-projections.min.js": "d3-composite-projections/d3-composite-projections.min.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "states-10m.json": "us-atlas/states-10m.json",
    "counties-10m.json": "us-atlas/counties-10m.json",
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
}
# In the order a page loads them (each one's UMD build extends the global `d3` the previous made).
MAP_SCRIPTS = ("d3-array.min.js", "d3-geo.min.js", "d3-path.min.js", "d3-composite-projections.min.js",
               "topojson-client.min.js")


@bp.route("/vendor/lib/<string:name>")
def library(name: str):
    relative = FILES.get(name)
    if relative is None:
        abort(404, description=f"the library files are {', '.join(sorted(FILES))}")
    path = WEB_MODULES / relative
    if not path.exists():
        raise ApiError(503, "browser libraries not installed", f"{path} is missing: run `make install` "
                                                               "(it runs `npm ci --prefix web`)")
    return send_from_directory(path.parent, path.name, max_age=86400)
