"""The pay map's geography (where a region of the graph is drawn, from what the graph says about it) and
its data on /regions and on role and certification pages."""
import json
import re

import pytest

from service.places import PlaceFacts
from service.geography import Gazetteer, Location, area_code, locate, principal_names, states_of

BASE = "https://w3id.org/mbc-kg/id/region/"
GAZETTEER = Gazetteer({("CA", "stockton"): (-121.29, 37.96), ("MO", "stockton"): (-93.8, 37.7),
                       ("NY", "new york"): (-74.0, 40.7), ("PR", "san juan"): (-66.1, 18.5),
                       ("TX", "st louis"): (-1.0, 1.0)},
                      {("LA", "orleans"): "22071"})


def place(path, label, kinds=("Region",), codes=(), within=(), names=None, coordinates=None):
    return PlaceFacts(BASE + path, label, list(names or [label]), list(kinds), None, list(codes),
                      [BASE + w for w in within], coordinates)


def places(*items):
    return {p.iri: p for p in items}


def test_a_state_is_its_shape_by_code_or_by_name():
    assert locate(place("us/ca", "California", ("Region", "State"), ["CA"]), {}, GAZETTEER) == Location(shape="06", states=("CA",))
    assert area_code(place("x/tx", "Texas")) == "TX"                  # no class but Region: its name decides
    assert area_code(place("x/pr", "Puerto Rico", ("Region", "Territory"))) == "PR"
    assert area_code(place("x/vi", "U.S. Virgin Islands", ("Region", "Territory"))) == "VI"
    assert locate(place("x/gu", "Guam", ("Region", "Territory")), {}, GAZETTEER).shape == "66"


def test_a_city_named_like_a_state_is_not_the_state():
    ny = place("us/ny", "New York", ("Region", "State"), ["NY"])
    city = place("us/ny/new-york", "New York", ("Region", "City"), within=["us/ny"])
    assert area_code(city) is None
    assert locate(city, places(ny, city), GAZETTEER) == Location(point=(-74.0, 40.7), states=("NY",))


def test_a_metro_area_is_a_point_at_its_principal_city_in_its_state():
    ca = place("us/ca", "California", ("Region", "State"), ["CA"])
    metro = place("us/ca/stockton-lodi", "Stockton-Lodi, CA MSA", ("Region", "MetropolitanArea"), within=["us/ca"])
    assert locate(metro, places(ca, metro), GAZETTEER) == Location(point=(-121.29, 37.96), states=("CA",))


def test_without_partof_the_state_code_in_the_name_is_used():
    metro = place("x/stockton", "Stockton, CA MSA", ("Region", "MetropolitanArea"))
    assert states_of(metro, {}) == ("CA",)
    assert locate(metro, {}, GAZETTEER).point == (-121.29, 37.96)


def test_a_place_whose_state_is_unknown_is_not_guessed():
    assert locate(place("x/stockton", "Stockton", ("Region", "City")), {}, GAZETTEER) is None
    assert locate(place("x/bos", "Mother Lode Region (BOS)", ("Region", "NonmetropolitanArea"), within=["us/ca"]),
                  places(place("us/ca", "California", ("Region", "State"), ["CA"])), GAZETTEER) is None


def test_a_county_and_a_territory_city_and_given_coordinates():
    la = place("us/la", "Louisiana", ("Region", "State"), ["LA"])
    parish = place("us/la/orleans", "Orleans Parish", ("Region", "County"), within=["us/la"])
    assert locate(parish, places(la, parish), GAZETTEER) == Location(county="22071", states=("LA",))
    pr = place("us/pr", "Puerto Rico", ("Region", "Territory"))
    san_juan = place("us/pr/san-juan", "San Juan", ("Region", "City"), within=["us/pr"])
    assert locate(san_juan, places(pr, san_juan), GAZETTEER).point == (-66.1, 18.5)
    assert locate(place("x/here", "Somewhere", coordinates=(-100.0, 40.0)), {}, GAZETTEER).point == (-100.0, 40.0)


def test_principal_names_of_metro_areas():
    assert principal_names("Sacramento--Arden-Arcade--Roseville, CA MSA")[0] == "Sacramento"
    assert principal_names("Los Angeles-Long Beach-Anaheim area")[:2] == ["Los Angeles-Long Beach-Anaheim", "Los Angeles"]
    assert principal_names("New York-Newark-Jersey City, NY-NJ-PA Metropolitan Statistical Area")[1] == "New York"
    assert states_of(place("x/nyc", "New York-Newark-Jersey City, NY-NJ-PA MSA"), {}) == ("NY", "NJ", "PA")


def map_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" class="pay-map-data">(.*?)</script>', html, re.S)
    assert found, "the page has no pay map data"
    return json.loads(found.group(1))


def test_the_regions_page_has_the_map_with_every_figure_located_or_listed(client):
    response = client.get("/regions")
    html = response.get_data(as_text=True)
    assert 'aria-label="pay map"' in html
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    data = map_data(html)
    places_ = data["places"]
    california = places_[BASE + "us/ca"]
    assert california["at"]["shape"] == "06" and california["kind"] == "State"
    stockton = places_[BASE + "us/ca/stockton-ca-msa"]
    assert stockton["at"]["states"] == ["CA"] and -122 < stockton["at"]["point"][0] < -121
    assert places_[BASE + "us"]["national"] and places_[BASE + "us"]["at"] is None
    # a place the map cannot show is still in the table
    assert places_[BASE + "us/ca/mother-lode-region-bos"]["at"] is None
    assert re.search(r"Mother Lode Region \(BOS\)</a>\s*<span class=\"place-kind\">[^<]*not on the map", html)
    # every figure cites its source with a link that opens the quoted span
    assert data["figures"] and all(f["sources"] and "#highlight" in f["sources"][0]["href"] for f in data["figures"])
    stockton_figure = next(f for f in data["figures"] if f["place"] == BASE + "us/ca/stockton-ca-msa")
    assert stockton_figure["period"] == "Hour" and stockton_figure["text"]["median"] == "$20.54"
    assert data["period"] == "Hour" and data["measure"] == "median"


def test_the_query_string_chooses_what_the_map_and_table_show(client):
    html = client.get("/regions?period=Year&measure=mean").get_data(as_text=True)
    data = map_data(html)
    assert (data["period"], data["measure"]) == ("Year", "mean")
    shown = re.findall(r'<tr data-period="(\w+)" data-role="[^"]*">', html)     # rows not hidden
    assert shown and set(shown) == {"Year"}
    assert map_data(client.get("/regions?period=Fortnight").get_data(as_text=True))["period"] == "Hour"


def test_a_role_page_has_the_map_of_its_documents(client):
    html = client.get("/id/role/medical-records-specialist").get_data(as_text=True)
    assert "Pay by place in its documents" in html
    data = map_data(html)
    assert BASE + "us/ca/los-angeles-long-beach-anaheim-area" in data["places"]


def test_the_map_libraries_are_served_by_the_app(client):
    for name in ("d3-geo.min.js", "topojson-client.min.js", "d3-composite-projections.min.js", "cytoscape.min.js"):
        response = client.get(f"/vendor/lib/{name}")
        assert response.status_code == 200 and response.mimetype in ("text/javascript", "application/javascript"), name
    atlas = client.get("/vendor/lib/states-10m.json")
    assert atlas.status_code == 200 and len(atlas.get_json()["objects"]["states"]["geometries"]) == 56
    assert client.get("/vendor/lib/package.json").status_code == 404
    assert client.get("/vendor/lib/..%2Fpackage.json").status_code == 404


@pytest.mark.parametrize("path", ["/regions", "/id/role/medical-records-specialist"])
def test_no_page_loads_anything_from_another_origin(client, path):
    html = client.get(path).get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', html)
