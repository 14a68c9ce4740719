"""Single sign-on against a real OpenID Connect provider over HTTP on 127.0.0.1.

The provider (tests/support/oidc_provider.py) checks the PKCE challenge and the code
verifier itself and signs ID tokens with a key generated for this run; the app fetches its
discovery document and keys over HTTP like it would Keycloak's. Each test follows the
redirects between the app (TestClient) and the provider (httpx) as a browser would.
"""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import httpx
import pytest
from sqlmodel import select

from app.accounts.oidc_claims import mapped_groups, mapped_role, subject_key, username_from
from app.settings import Settings
from app.storage import groups as group_store
from app.storage.crud import get_user_by_username, set_active
from app.storage.tables import AuditEntry, Group, User
from tests.app.conftest import PASSWORD, ServerThread, free_port
from tests.app.test_pages import HTML, login
from tests.support.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider

ROLE_MAP = {"spielraum-user": "employee", "spielraum-admin": "admin", "spielraum-dpo": "dpo"}


@pytest.fixture(scope="module")
def provider():
    port = free_port()
    test_provider = TestProvider(issuer=f"http://127.0.0.1:{port}")
    with ServerThread(test_provider.app(), port=port):
        yield test_provider


@pytest.fixture
def idp(provider):
    """The module's provider, its knobs and test person reset for each test."""
    fresh = TestProvider(issuer=provider.issuer)
    provider.person, provider.token_issuer, provider.token_lifetime = fresh.person, None, 300
    provider.token_audience, provider.deny = None, False
    provider.token_nonce, provider.forged_key, provider.drop_claims = None, None, ()
    provider.token_requests.clear()
    return provider


def sso_settings(idp: TestProvider, **overrides) -> dict:
    return {"oidc_issuer": idp.issuer, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET,
            "oidc_role_claim": "realm_access.roles", "oidc_role_map": ROLE_MAP, "oidc_group_claim": "groups",
            "oidc_display_name": "Test-IdP", **overrides}


@pytest.fixture
def sso_env(make_env, idp):
    return make_env(**sso_settings(idp))


def follow(client, idp: TestProvider, url: str, *, rewrite_authorize=None) -> httpx.Response:
    """GET `url` and follow redirects across the app and the provider, like a browser."""
    for _ in range(10):
        if url.startswith(idp.issuer):
            if rewrite_authorize and "/authorize" in url:
                url = rewrite_authorize(url)
            response = httpx.get(url, follow_redirects=False, timeout=10)
        else:
            response = client.get(url, headers=HTML, follow_redirects=False)
        if response.status_code not in (302, 303, 307):
            return response
        url = response.headers["location"]
        if url == "/" or (url.startswith("/") and not url.startswith("/login")):
            return response  # signed in: the app sends the browser on
    raise AssertionError("too many redirects")


def sso_sign_in(env, idp, **kwargs) -> httpx.Response:
    return follow(env.client, idp, "/login/oidc", **kwargs)


def signed_in(env) -> bool:
    return env.client.get("/", headers=HTML, follow_redirects=False).status_code == 200


def user_named(env, name: str) -> User | None:
    with env.session() as session:
        return get_user_by_username(session, name)


def add_group(env, name: str) -> None:
    with env.session() as session:
        session.add(Group(name=name))
        session.commit()


# -- the whole flow ------------------------------------------------------------------------
def test_sign_in_creates_the_account_with_role_and_groups_from_the_claims(sso_env, idp):
    add_group(sso_env, "Sozialamt")
    idp.person["groups"] = ["/Sozialamt", "/Unbekannt"]
    response = sso_sign_in(sso_env, idp)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert signed_in(sso_env)
    user = user_named(sso_env, "mara.sso")
    assert user.role == "employee" and user.auth_source == "oidc" and user.is_active
    assert user.external_subject == f"{idp.issuer}#0f3c-4711"
    assert user.last_login_at is not None
    with sso_env.session() as session:
        assert group_store.group_names_of(session, user.id) == {"Sozialamt"}  # unknown groups are ignored
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "config.users.sso_create")).first()
    # The provider saw a code verifier (and checked it against the challenge).
    assert idp.token_requests == [{"grant_type": "authorization_code", "has_verifier": "True"}]


def test_a_second_sign_in_updates_role_and_groups_and_keeps_one_account(sso_env, idp):
    add_group(sso_env, "Sozialamt")
    add_group(sso_env, "IT")
    sso_sign_in(sso_env, idp)
    sso_env.client.cookies.clear()
    idp.person["realm_access"] = {"roles": ["spielraum-user", "spielraum-admin"]}
    idp.person["groups"] = ["/IT"]
    idp.person["preferred_username"] = "renamed"  # the subject, not the name, finds the account
    assert sso_sign_in(sso_env, idp).status_code == 303
    with sso_env.session() as session:
        users = session.exec(select(User).where(User.auth_source == "oidc")).all()
        assert [(u.username, u.role) for u in users] == [("mara.sso", "admin")]
        assert group_store.group_names_of(session, users[0].id) == {"IT"}
    assert sso_env.client.get("/admin", headers=HTML).status_code == 200


def test_the_deep_link_survives_the_round_trip(sso_env, idp):
    response = follow(sso_env.client, idp, "/login/oidc?next=/account")
    assert response.status_code == 303 and response.headers["location"] == "/account"


def test_discovery_is_cached_between_sign_ins(sso_env, idp):
    before = idp.discovery_hits
    sso_sign_in(sso_env, idp)
    sso_env.client.cookies.clear()
    sso_sign_in(sso_env, idp)
    assert idp.discovery_hits - before == 1


def test_discovery_is_fetched_again_once_the_cache_expires(make_env, idp):
    env = make_env(**sso_settings(idp, oidc_metadata_ttl_seconds=0))
    before = idp.discovery_hits
    sso_sign_in(env, idp)
    env.client.cookies.clear()
    sso_sign_in(env, idp)
    assert idp.discovery_hits - before >= 4  # start and callback of each sign-in ask again


def test_a_rotated_signing_key_is_fetched_again(sso_env, idp):
    old = idp.key
    try:
        sso_sign_in(sso_env, idp)
        sso_env.client.cookies.clear()
        idp.rotate_key("test-key-2")
        assert sso_sign_in(sso_env, idp).status_code == 303
        assert signed_in(sso_env)
    finally:
        idp.key = old


# -- refusals ------------------------------------------------------------------------------
def refused(response, status: int, message: str) -> None:
    assert response.status_code == status, response.text[:500]
    assert message in response.text


def test_an_id_token_from_a_wrong_issuer_is_refused(sso_env, idp):
    idp.token_issuer = "http://127.0.0.1:9/evil"
    refused(sso_sign_in(sso_env, idp), 401, "stammt nicht vom eingerichteten Anmeldedienst")
    assert not signed_in(sso_env)
    assert user_named(sso_env, "mara.sso") is None


def test_a_provider_whose_discovery_names_another_issuer_is_refused(make_env, idp):
    env = make_env(**sso_settings(idp, oidc_issuer=idp.issuer + "/"))
    refused(env.client.get("/login/oidc", headers=HTML, follow_redirects=False), 401,
            "stammt nicht vom eingerichteten Anmeldedienst")


def test_an_expired_id_token_is_refused(sso_env, idp):
    idp.token_lifetime = -3600
    refused(sso_sign_in(sso_env, idp), 401, "Die Anmeldung ist abgelaufen")
    assert not signed_in(sso_env)


def test_an_id_token_for_another_client_is_refused(sso_env, idp):
    idp.token_audience = "another-client"
    refused(sso_sign_in(sso_env, idp), 401, "eine Prüfung")
    assert not signed_in(sso_env)


def test_an_id_token_signed_with_another_key_is_refused(sso_env, idp):
    from joserfc.jwk import RSAKey

    idp.forged_key = RSAKey.generate_key(2048, parameters={"kid": idp.key.kid})
    refused(sso_sign_in(sso_env, idp), 401, "eine Prüfung")
    assert not signed_in(sso_env) and user_named(sso_env, "mara.sso") is None


def test_an_id_token_with_another_nonce_is_refused(sso_env, idp):
    idp.token_nonce = "replayed-from-another-sign-in"
    refused(sso_sign_in(sso_env, idp), 401, "eine Prüfung")
    assert not signed_in(sso_env)


@pytest.mark.parametrize("claim", ["iss", "exp", "iat", "nonce", "sub"])
def test_an_id_token_without_an_essential_claim_is_refused(sso_env, idp, claim):
    idp.drop_claims = (claim,)
    response = sso_sign_in(sso_env, idp)
    assert response.status_code == 401 and not signed_in(sso_env)


def test_a_missing_role_claim_is_refused_without_a_default_role(sso_env, idp):
    del idp.person["realm_access"]
    refused(sso_sign_in(sso_env, idp), 403, "keine Rolle für Spielraum")
    assert user_named(sso_env, "mara.sso") is None


def test_an_unmapped_role_is_refused_too(sso_env, idp):
    idp.person["realm_access"] = {"roles": ["offline_access"]}
    refused(sso_sign_in(sso_env, idp), 403, "keine Rolle für Spielraum")


def test_a_missing_role_claim_gets_the_default_role_when_configured(make_env, idp):
    env = make_env(**sso_settings(idp, oidc_default_role="employee"))
    del idp.person["realm_access"]
    assert sso_sign_in(env, idp).status_code == 303
    assert user_named(env, "mara.sso").role == "employee"


def test_a_wrong_state_is_refused_and_nothing_is_exchanged(sso_env, idp):
    start = sso_env.client.get("/login/oidc", follow_redirects=False)
    authorize = httpx.get(start.headers["location"], follow_redirects=False)
    callback = urlparse(authorize.headers["location"])
    query = parse_qs(callback.query)
    forged = f"/login/oidc/callback?{urlencode({'code': query['code'][0], 'state': 'forged'})}"
    refused(sso_env.client.get(forged, headers=HTML), 400, "keiner Anfrage dieses Browsers")
    assert idp.token_requests == []
    # The pending sign-in was used up: the right state no longer works either.
    right = f"/login/oidc/callback?{callback.query}"
    refused(sso_env.client.get(right, headers=HTML), 400, "keiner Anfrage dieses Browsers")
    assert not signed_in(sso_env)


def test_a_callback_without_a_started_sign_in_is_refused(sso_env, idp):
    refused(sso_env.client.get("/login/oidc/callback?code=x&state=y", headers=HTML), 400,
            "keiner Anfrage dieses Browsers")


def test_a_code_bound_to_another_pkce_challenge_is_refused_by_the_provider(sso_env, idp):
    def other_challenge(url: str) -> str:
        parts = urlparse(url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["code_challenge"] = "A" * 43  # as if an attacker had started the flow with their own verifier
        return urlunparse(parts._replace(query=urlencode(query)))

    refused(sso_sign_in(sso_env, idp, rewrite_authorize=other_challenge), 401, "nicht bestätigt")
    assert idp.token_requests and not signed_in(sso_env)


def test_a_sign_in_declined_at_the_provider_says_so(sso_env, idp):
    idp.deny = True
    refused(sso_sign_in(sso_env, idp), 401, "abgebrochen oder abgelehnt")


def test_a_deactivated_sso_user_is_refused(sso_env, idp):
    sso_sign_in(sso_env, idp)
    with sso_env.session() as session:
        set_active(session, get_user_by_username(session, "mara.sso"), False)
    assert not signed_in(sso_env)  # the running session ended at once
    sso_env.client.cookies.clear()
    refused(sso_sign_in(sso_env, idp), 403, "Zugang ist gesperrt")
    assert not signed_in(sso_env)


# -- local accounts alongside SSO ----------------------------------------------------------
def test_login_page_offers_the_button_and_local_accounts_still_work(sso_env, idp):
    page = sso_env.client.get("/login?next=/account")
    assert 'id="sso-start"' in page.text and "Anmelden mit Test-IdP" in page.text
    assert 'href="/login/oidc?next=/account"' in page.text
    sso_env.user("erika")
    assert login(sso_env.client, "erika").status_code == 303
    assert signed_in(sso_env)


def test_an_sso_account_cannot_sign_in_with_a_password(sso_env, idp):
    sso_sign_in(sso_env, idp)
    sso_env.client.cookies.clear()
    for password in ("", PASSWORD, user_named(sso_env, "mara.sso").password_hash):
        assert login(sso_env.client, "mara.sso", password).status_code == 401


def test_a_local_account_of_the_same_name_is_not_taken_over(sso_env, idp):
    sso_env.user("mara.sso", role="admin")
    sso_sign_in(sso_env, idp)
    local, sso = user_named(sso_env, "mara.sso"), user_named(sso_env, "mara.sso-2")
    assert local.auth_source == "local" and local.role == "admin"
    assert sso.auth_source == "oidc" and sso.role == "employee"


def test_the_app_starts_and_says_so_while_the_provider_is_down(make_env, idp):
    env = make_env(**sso_settings(idp, oidc_issuer=f"http://127.0.0.1:{free_port()}", oidc_timeout_seconds=2))
    page = env.client.get("/login")
    assert page.status_code == 200 and 'id="sso-unavailable"' in page.text and 'id="sso-start"' not in page.text
    refused(env.client.get("/login/oidc", headers=HTML, follow_redirects=False), 503, "nicht erreichbar")
    env.user("erika")
    assert login(env.client, "erika").status_code == 303


def test_without_configuration_there_is_no_button_and_no_flow(env):
    assert "sso-" not in env.client.get("/login").text
    assert env.client.get("/login/oidc", headers=HTML, follow_redirects=False).status_code == 404


def test_the_log_holds_no_token_or_claim_value(sso_env, idp, caplog):
    caplog.set_level("DEBUG")
    idp.token_issuer = "http://127.0.0.1:9/evil"
    sso_sign_in(sso_env, idp)
    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "oidc.refused" in text
    assert "mara" not in text and "0f3c-4711" not in text and "eyJ" not in text


# -- claim mapping -------------------------------------------------------------------------
def settings(**kw) -> Settings:
    return Settings(_env_file=None, **{"oidc_role_claim": "roles", **kw})


@pytest.mark.parametrize(("roles", "role_map", "default", "expected"), [
    (["spielraum-admin", "spielraum-user"], ROLE_MAP, "", "admin"),
    (["spielraum-dpo"], ROLE_MAP, "", "dpo"),
    (["other"], ROLE_MAP, "", None),
    (["other"], ROLE_MAP, "employee", "employee"),
    (["curator", "nonsense"], {}, "", "curator"),  # without a map, Spielraum's own role names count
    ("admin", {}, "", "admin"),  # a single string instead of a list
    (None, ROLE_MAP, "", None),
])
def test_role_mapping(roles, role_map, default, expected):
    claims = {"sub": "x"} if roles is None else {"sub": "x", "roles": roles}
    assert mapped_role(claims, settings(oidc_role_map=role_map, oidc_default_role=default)) == expected


def test_dotted_role_claim_and_group_mapping():
    claims = {"realm_access": {"roles": ["spielraum-user"]}, "groups": ["/Sozialamt", "a1b2-guid", 7]}
    s = settings(oidc_role_claim="realm_access.roles", oidc_role_map=ROLE_MAP, oidc_group_claim="groups",
                 oidc_group_map={"a1b2-guid": "Bauamt"})
    assert mapped_role(claims, s) == "employee"
    assert mapped_groups(claims, s) == ["Bauamt", "Sozialamt"]
    assert mapped_groups(claims, settings()) is None  # no group claim: memberships stay IT's


def test_subject_and_username():
    assert subject_key("https://idp", "abc") == "https://idp#abc"
    assert len(subject_key("https://idp", "x" * 400)) <= 300
    assert username_from({"sub": "s", "email": "a b@c.de"}) == "a-b@c.de"
    assert username_from({"sub": "s"}) == "s"


def test_a_role_map_naming_an_unknown_role_stops_the_start():
    with pytest.raises(ValueError, match="unknown roles"):
        Settings(oidc_role_map={"x": "superuser"})


def test_the_account_page_of_an_sso_user_has_no_password_form(sso_env, idp):
    sso_sign_in(sso_env, idp)
    page = sso_env.client.get("/account", headers=HTML).text
    assert 'id="password-sso"' in page and 'id="password-form"' not in page
    sso_env.user("erika")
    login(sso_env.client, "erika")
    assert 'id="password-form"' in sso_env.client.get("/account", headers=HTML).text
