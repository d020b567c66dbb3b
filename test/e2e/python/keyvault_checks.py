"""Checks of the Python azure-keyvault-keys KeyClient and CryptographyClient against the emulator.

Run by test/e2e/emulator.python.test.ts with /usr/bin/python3 (Debian's python3-azure) and only the
environment the emulator's command line prints (REQUESTS_CA_BUNDLE, IDENTITY_ENDPOINT, IDENTITY_HEADER)
plus KEYVAULT_URL. Application code as written for Azure: DefaultAzureCredential, the package's
default api-version, its pollers. What the vault computes is judged with Python's `cryptography`.
Prints one JSON object: {"passed": n, "total": n, "failures": [...]}.
"""

import hashlib
import json
import os
import sys
import time
import traceback
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from azure.core.exceptions import HttpResponseError, ResourceExistsError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
from azure.keyvault.keys import (
    ApiVersion,
    JsonWebKey,
    KeyClient,
    KeyCurveName,
    KeyRotationLifetimeAction,
    KeyRotationPolicy,
    KeyRotationPolicyAction,
    KeyType,
    KeyVaultKeyIdentifier,
)
from azure.keyvault.keys.crypto import (
    CryptographyClient,
    EncryptionAlgorithm,
    KeyWrapAlgorithm,
    SignatureAlgorithm,
)
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.keywrap import aes_key_wrap

VAULT_URL = os.environ["KEYVAULT_URL"]
FAST = {"_polling_interval": 0.05}  # the pollers' own loop, polling every 50 ms instead of 2 s

results = {"passed": 0, "total": 0, "failures": []}


def check(label):
    """Runs the decorated function as one check and records its outcome."""

    def run(function):
        results["total"] += 1
        try:
            function()
            results["passed"] += 1
        except Exception:  # noqa: BLE001 - every failure is reported, none stops the run
            results["failures"].append({"check": label, "error": traceback.format_exc(limit=4)})
        return function

    return run


def name(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def retry_while_being_deleted(operation, attempts=100):
    """Retries a create/import/restore while the vault answers 409 ObjectIsBeingDeleted."""
    for attempt in range(attempts):
        try:
            return operation()
        except ResourceExistsError as error:
            if "ObjectIsBeingDeleted" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05)
    raise AssertionError("unreachable")


def expect_error(kind, operation):
    """Runs `operation`, which must raise `kind`; returns the error."""
    try:
        operation()
    except kind as error:
        return error
    raise AssertionError(f"expected {kind.__name__}")


def rsa_public(jwk):
    n = int.from_bytes(jwk.n, "big")
    e = int.from_bytes(jwk.e, "big")
    return rsa.RSAPublicNumbers(e, n).public_key()


def ec_public(jwk, curve):
    x = int.from_bytes(jwk.x, "big")
    y = int.from_bytes(jwk.y, "big")
    return ec.EllipticCurvePublicNumbers(x, y, curve).public_key()


def to_bytes(value, length=None):
    length = length or (value.bit_length() + 7) // 8
    return value.to_bytes(length, "big")


credential = DefaultAzureCredential()
client = KeyClient(VAULT_URL, credential, verify_challenge_resource=False)


@check("DefaultAzureCredential gets a token from IDENTITY_ENDPOINT/IDENTITY_HEADER")
def _():
    token = credential.get_token("https://vault.azure.net/.default")
    assert token.token.count(".") == 2
    assert token.expires_on > time.time() + 3600


@check("ManagedIdentityCredential gets a token")
def _():
    token = ManagedIdentityCredential().get_token("https://vault.azure.net/.default")
    assert token.expires_on > time.time()


@check("the client speaks the package's default api-version 7.4-preview.1")
def _():
    assert client.api_version == "7.4-preview.1", client.api_version


# --- the README examples of azure-keyvault-keys ---------------------------------------------------

rsa_name = name("py-rsa")
ec_name = name("py-ec")
state = {}


@check("README: create an RSA key")
def _():
    key = client.create_rsa_key(rsa_name, size=2048)
    assert key.name == rsa_name and key.key_type == KeyType.rsa
    assert len(key.key.n) == 256
    assert key.key.d is None
    assert urlparse(key.id).netloc == urlparse(VAULT_URL).netloc
    state["rsa"] = key


@check("README: create an EC key")
def _():
    key = client.create_ec_key(ec_name, curve="P-256")
    assert key.key_type == KeyType.ec and key.key.crv == KeyCurveName.p_256
    state["ec"] = key


@check("README: retrieve a key, latest and by version")
def _():
    latest = client.get_key(rsa_name)
    assert latest.id == state["rsa"].id
    by_version = client.get_key(rsa_name, latest.properties.version)
    assert by_version.key.n == latest.key.n


@check("README: update an existing key's properties")
def _():
    expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=365)
    updated = client.update_key_properties(rsa_name, expires_on=expires, tags={"team": "py"})
    assert updated.properties.expires_on == expires
    assert updated.properties.tags == {"team": "py"}
    assert updated.properties.recovery_level == "Recoverable+Purgeable"


@check("README: list keys, crossing pages")
def _():
    names = [name("py-list") for _ in range(4)]
    for each in names:
        client.create_oct_key(each, hardware_protected=True)
    pages = list(client.list_properties_of_keys(max_page_size=2).by_page())
    assert len(pages) >= 3
    listed = [item.name for page in pages for item in page]
    assert len(listed) == len(set(listed))
    assert set(names) <= set(listed)


@check("README: list versions of a key across pages; a missing key lists none")
def _():
    client.create_rsa_key(rsa_name, size=2048)
    versions = list(client.list_properties_of_key_versions(rsa_name, max_page_size=1))
    assert len(versions) == 2 and len({v.version for v in versions}) == 2
    assert list(client.list_properties_of_key_versions(name("py-missing"))) == []


@check("README: configure automatic key rotation, rotate")
def _():
    actions = [KeyRotationLifetimeAction(KeyRotationPolicyAction.rotate, time_before_expiry="P30D")]
    policy = client.update_key_rotation_policy(ec_name, KeyRotationPolicy(), lifetime_actions=actions, expires_in="P90D")
    assert policy.expires_in == "P90D"
    fetched = client.get_key_rotation_policy(ec_name)
    assert any(a.action == KeyRotationPolicyAction.rotate for a in fetched.lifetime_actions)
    rotated = client.rotate_key(ec_name)
    assert rotated.properties.version != state["ec"].properties.version
    assert rotated.properties.expires_on is not None


@check("README: delete a key with its poller (default polling), then get and list it as deleted")
def _():
    doomed = name("py-delete")
    client.create_ec_key(doomed)
    poller = client.begin_delete_key(doomed)
    deleted = poller.result()
    assert deleted.name == doomed and deleted.recovery_id.endswith(f"/deletedkeys/{doomed}")
    poller.wait()
    assert client.get_deleted_key(doomed).name == doomed
    assert doomed in [k.name for k in client.list_deleted_keys()]
    state["deleted"] = doomed


@check("a purge right after begin_delete_key, without wait(), is refused as on the service")
def _():
    eager = name("py-eager")
    client.create_ec_key(eager)
    poller = client.begin_delete_key(eager, **FAST)
    error = expect_error(ResourceExistsError, lambda: client.purge_deleted_key(eager))
    assert error.status_code == 409 and "ObjectIsBeingDeleted" in str(error)
    poller.wait()
    client.purge_deleted_key(eager)


@check("recover a deleted key with its poller")
def _():
    recovered = client.begin_recover_deleted_key(state["deleted"], **FAST)
    recovered.wait()
    assert recovered.result().name == state["deleted"]
    assert client.get_key(state["deleted"]).name == state["deleted"]


@check("back up, delete, purge and restore every version")
def _():
    backup = client.backup_key(rsa_name)
    assert isinstance(backup, bytes) and len(backup) > 100
    client.begin_delete_key(rsa_name, **FAST).wait()
    client.purge_deleted_key(rsa_name)
    restored = retry_while_being_deleted(lambda: client.restore_key_backup(backup))
    assert restored.name == rsa_name
    assert len(list(client.list_properties_of_key_versions(rsa_name))) == 2


@check("a malformed backup is refused with the service's message")
def _():
    error = expect_error(HttpResponseError, lambda: client.restore_key_backup(b"\0" * 64))
    assert error.status_code == 400
    assert "Backup blob contains invalid or corrupt version." in str(error)


@check("get random bytes")
def _():
    assert len(client.get_random_bytes(32)) == 32


@check("import an RSA key made by cryptography; a missing key is ResourceNotFoundError")
def _():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    numbers = private.private_numbers()
    jwk = JsonWebKey(
        kty=KeyType.rsa,
        n=to_bytes(numbers.public_numbers.n),
        e=to_bytes(numbers.public_numbers.e),
        d=to_bytes(numbers.d),
        p=to_bytes(numbers.p),
        q=to_bytes(numbers.q),
        dp=to_bytes(numbers.dmp1),
        dq=to_bytes(numbers.dmq1),
        qi=to_bytes(numbers.iqmp),
    )
    imported = client.import_key(name("py-import"), jwk)
    assert int.from_bytes(imported.key.n, "big") == numbers.public_numbers.n
    state["imported"] = (imported, private)
    expect_error(ResourceNotFoundError, lambda: client.get_key(name("py-missing")))


@check("key ids parse with KeyVaultKeyIdentifier and name the vault addressed")
def _():
    parsed = KeyVaultKeyIdentifier(state["ec"].id)
    assert parsed.name == ec_name
    assert parsed.vault_url == VAULT_URL.rstrip("/")


# --- cryptography, judged by Python's `cryptography` -----------------------------------------------

message = b"signed in the vault, verified by cryptography"
digest = hashlib.sha256(message).digest()


@check("RS256: the vault's signature verifies with cryptography")
def _():
    crypto = client.get_cryptography_client(rsa_name)
    key = client.get_key(rsa_name)
    signature = crypto.sign(SignatureAlgorithm.rs256, digest).signature
    rsa_public(key.key).verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    assert crypto.verify(SignatureAlgorithm.rs256, digest, signature).is_valid


@check("PS256: the vault's signature verifies with cryptography")
def _():
    key = client.get_key(rsa_name)
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    signature = crypto.sign(SignatureAlgorithm.ps256, digest).signature
    rsa_public(key.key).verify(
        signature, message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256()
    )


@check("ES256: the vault's raw r||s signature verifies with cryptography")
def _():
    key = client.get_key(ec_name)
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    raw = crypto.sign(SignatureAlgorithm.es256, digest).signature
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    ec_public(key.key, ec.SECP256R1()).verify(der, message, ec.ECDSA(hashes.SHA256()))


@check("RSA-OAEP and RSA-OAEP-256: what cryptography encrypts, the vault decrypts")
def _():
    imported, _private = state["imported"]
    crypto = CryptographyClient(imported.id, credential, verify_challenge_resource=False)
    public = rsa_public(imported.key)
    for algorithm, hash_ in ((EncryptionAlgorithm.rsa_oaep, hashes.SHA1()), (EncryptionAlgorithm.rsa_oaep_256, hashes.SHA256())):
        ciphertext = public.encrypt(b"plaintext", padding.OAEP(mgf=padding.MGF1(hash_), algorithm=hash_, label=None))
        assert crypto.decrypt(algorithm, ciphertext).plaintext == b"plaintext"


@check("RSA1_5: the client's encryption (local, as the package does with a public key) decrypts in the vault and in cryptography")
def _():
    imported, private = state["imported"]
    crypto = CryptographyClient(imported.id, credential, verify_challenge_resource=False)
    ciphertext = crypto.encrypt(EncryptionAlgorithm.rsa1_5, b"for the private key").ciphertext
    assert private.decrypt(ciphertext, padding.PKCS1v15()) == b"for the private key"
    assert crypto.decrypt(EncryptionAlgorithm.rsa1_5, ciphertext).plaintext == b"for the private key"


@check("wrap and unwrap with RSA-OAEP")
def _():
    crypto = client.get_cryptography_client(rsa_name)
    cek = os.urandom(32)
    wrapped = crypto.wrap_key(KeyWrapAlgorithm.rsa_oaep, cek)
    assert crypto.unwrap_key(KeyWrapAlgorithm.rsa_oaep, wrapped.encrypted_key).key == cek


@check("A256KW: what cryptography wraps with an imported oct-HSM key, the vault unwraps")
def _():
    # Only unwrap is judged here: azure-keyvault-keys 4.8 wraps with oct keys locally, and since the
    # vault never returns `k`, its local provider makes up a random key for that (a client defect; the
    # service behaves the same). Its local unwrap then fails and the request goes to the vault.
    secret = os.urandom(32)
    key = client.import_key(name("py-oct"), JsonWebKey(kty=KeyType.oct_hsm, k=secret, key_ops=["wrapKey", "unwrapKey"]))
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    cek = os.urandom(32)
    assert crypto.unwrap_key(KeyWrapAlgorithm.aes_256, aes_key_wrap(secret, cek)).key == cek



@check("more signature algorithms: RS384, RS512, PS384, PS512 (RSA 3072), ES384, ES512, ES256K, verified by cryptography")
def _():
    rsa_key = client.create_rsa_key(name("py-rsa3072"), size=3072)
    rsa_crypto = CryptographyClient(rsa_key.id, credential, verify_challenge_resource=False)
    public = rsa_public(rsa_key.key)
    for algorithm, hash_, pss in (
        (SignatureAlgorithm.rs384, hashes.SHA384(), False),
        (SignatureAlgorithm.rs512, hashes.SHA512(), False),
        (SignatureAlgorithm.ps384, hashes.SHA384(), True),
        (SignatureAlgorithm.ps512, hashes.SHA512(), True),
    ):
        h = hashes.Hash(hash_)
        h.update(message)
        signature = rsa_crypto.sign(algorithm, h.finalize()).signature
        scheme = padding.PSS(mgf=padding.MGF1(hash_), salt_length=hash_.digest_size) if pss else padding.PKCS1v15()
        public.verify(signature, message, scheme, hash_)
    for curve, py_curve, algorithm, hash_, size in (
        ("P-384", ec.SECP384R1(), SignatureAlgorithm.es384, hashes.SHA384(), 48),
        ("P-521", ec.SECP521R1(), SignatureAlgorithm.es512, hashes.SHA512(), 66),
        ("P-256K", ec.SECP256K1(), SignatureAlgorithm.es256_k, hashes.SHA256(), 32),
    ):
        key = client.create_ec_key(name("py-ec-" + curve.lower()), curve=curve)
        crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
        h = hashes.Hash(hash_)
        h.update(message)
        raw = crypto.sign(algorithm, h.finalize()).signature
        assert len(raw) == 2 * size, curve
        der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
        ec_public(key.key, py_curve).verify(der, message, ec.ECDSA(hash_))


@check("A256GCM in the vault with an imported oct-HSM key: cryptography decrypts what the vault encrypts")
def _():
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    secret = os.urandom(32)
    key = client.import_key(name("py-gcm"), JsonWebKey(kty=KeyType.oct_hsm, k=secret, key_ops=["encrypt", "decrypt"]))
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    aad = b"header"
    result = crypto.encrypt(EncryptionAlgorithm.a256_gcm, b"sealed by the vault", additional_authenticated_data=aad)
    assert len(result.iv) == 12 and len(result.tag) == 16
    opened = AESGCM(secret).decrypt(result.iv, result.ciphertext + result.tag, aad)
    assert opened == b"sealed by the vault"
    back = crypto.decrypt(
        EncryptionAlgorithm.a256_gcm,
        result.ciphertext,
        iv=result.iv,
        authentication_tag=result.tag,
        additional_authenticated_data=aad,
    )
    assert back.plaintext == b"sealed by the vault"


@check("HSM keys: create_key RSA-HSM 3072 and create_ec_key(hardware_protected=True) P-384")
def _():
    rsa_hsm = client.create_key(name("py-rsa-hsm"), KeyType.rsa_hsm, size=3072)
    assert rsa_hsm.key_type == KeyType.rsa_hsm and len(rsa_hsm.key.n) == 384
    ec_hsm = client.create_ec_key(name("py-ec-hsm"), curve="P-384", hardware_protected=True)
    assert ec_hsm.key_type == KeyType.ec_hsm and ec_hsm.key.crv == KeyCurveName.p_384


@check("create with key_operations, tags, not_before, expires_on and enabled=False; a disabled key cannot sign")
def _():
    not_before = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
    expires_on = not_before + timedelta(days=30)
    key = client.create_rsa_key(
        name("py-attrs"),
        size=2048,
        key_operations=["sign", "verify"],
        tags={"a": "1"},
        not_before=not_before,
        expires_on=expires_on,
        enabled=False,
    )
    assert sorted(key.key_operations) == ["sign", "verify"]
    assert key.properties.tags == {"a": "1"} and key.properties.enabled is False
    assert key.properties.not_before == not_before and key.properties.expires_on == expires_on
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    assert expect_error(HttpResponseError, lambda: crypto.sign(SignatureAlgorithm.rs256, digest)).status_code == 403


@check("an operation outside key_ops is refused (403), and update_key_properties changes key_ops")
def _():
    key = client.create_rsa_key(name("py-ops"), size=2048, key_operations=["verify"])
    crypto = CryptographyClient(key.id, credential, verify_challenge_resource=False)
    assert expect_error(HttpResponseError, lambda: crypto.sign(SignatureAlgorithm.rs256, digest)).status_code == 403
    updated = client.update_key_properties(key.name, key_operations=["sign", "verify"])
    assert sorted(updated.key_operations) == ["sign", "verify"]
    assert CryptographyClient(key.id, credential, verify_challenge_resource=False).sign(SignatureAlgorithm.rs256, digest)


@check("update one version's properties; the other version is untouched")
def _():
    versioned = name("py-version")
    first = client.create_ec_key(versioned)
    second = client.create_ec_key(versioned)
    client.update_key_properties(versioned, first.properties.version, enabled=False)
    assert client.get_key(versioned, first.properties.version).properties.enabled is False
    assert client.get_key(versioned).properties.version == second.properties.version
    assert client.get_key(versioned).properties.enabled is True


@check("409s: create over a soft-deleted name, restore over a live name; 404 for a missing deleted key")
def _():
    held = name("py-held")
    client.create_ec_key(held)
    backup = client.backup_key(held)
    expect_error(ResourceExistsError, lambda: client.restore_key_backup(backup))
    client.begin_delete_key(held, **FAST).wait()
    error = expect_error(ResourceExistsError, lambda: client.create_ec_key(held))
    assert "ObjectIsDeletedButRecoverable" in str(error)
    expect_error(ResourceNotFoundError, lambda: client.get_deleted_key(name("py-never")))


@check("list deleted keys across pages")
def _():
    names = [name("py-gone") for _ in range(3)]
    for each in names:
        client.create_ec_key(each)
    pollers = [client.begin_delete_key(each, **FAST) for each in names]
    for poller in pollers:
        poller.wait()
    pages = list(client.list_deleted_keys(max_page_size=1).by_page())
    listed = [item.name for page in pages for item in page]
    assert set(names) <= set(listed) and len(listed) == len(set(listed))
    assert len(pages) >= 3


@check("the default rotation policy of a key that never had one: Notify 30 days before expiry")
def _():
    fresh = client.create_ec_key(name("py-policy"))
    policy = client.get_key_rotation_policy(fresh.name)
    assert [a.action for a in policy.lifetime_actions] == [KeyRotationPolicyAction.notify]
    assert policy.lifetime_actions[0].time_before_expiry == "P30D"


@check("release an exportable key (the emulator accepts any attestation token)")
def _():
    from azure.keyvault.keys import KeyReleasePolicy

    encoded = json.dumps({"version": "1.0.0", "anyOf": [{"authority": "https://attest.test", "allOf": []}]}).encode()
    key = client.create_rsa_key(
        name("py-release"), size=2048, exportable=True, release_policy=KeyReleasePolicy(encoded)
    )
    assert key.properties.exportable is True
    released = client.release_key(key.name, "attestation-token")
    assert released.value.count(".") == 2


@check("a client built from key.id of a deleted and recovered key reaches the same vault")
def _():
    parsed = KeyVaultKeyIdentifier(state["rsa"].id)
    again = KeyClient(parsed.vault_url, credential, verify_challenge_resource=False)
    assert again.get_key(parsed.name).name == rsa_name


def api_version_check(version):
    @check(f"api-version {version.value}: create, get, list versions, delete with its poller")
    def _():
        versioned = KeyClient(VAULT_URL, credential, api_version=version, verify_challenge_resource=False)
        each = name("py-api")
        created = versioned.create_ec_key(each)
        assert versioned.get_key(each).id == created.id
        assert [p.version for p in versioned.list_properties_of_key_versions(each)] == [created.properties.version]
        deleted = versioned.begin_delete_key(each, **FAST)
        deleted.wait()
        assert deleted.result().name == each


for each_version in ApiVersion:
    api_version_check(each_version)


# --- the async clients (aiohttp, trusting SSL_CERT_FILE) -------------------------------------------


def run_async(label, coroutine_function):
    import asyncio

    @check(label)
    def _():
        asyncio.run(coroutine_function())


async def async_lifecycle():
    from azure.identity.aio import DefaultAzureCredential as AsyncDefaultAzureCredential
    from azure.keyvault.keys.aio import KeyClient as AsyncKeyClient
    from azure.keyvault.keys.crypto.aio import CryptographyClient as AsyncCryptographyClient

    async with AsyncDefaultAzureCredential() as async_credential:
        async with AsyncKeyClient(VAULT_URL, async_credential, verify_challenge_resource=False) as async_client:
            each = name("py-async")
            key = await async_client.create_ec_key(each, curve="P-256")
            assert (await async_client.get_key(each)).id == key.id
            listed = [item.name async for item in async_client.list_properties_of_keys()]
            assert each in listed
            async with AsyncCryptographyClient(key.id, async_credential, verify_challenge_resource=False) as crypto:
                raw = (await crypto.sign(SignatureAlgorithm.es256, digest)).signature
            der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
            ec_public(key.key, ec.SECP256R1()).verify(der, message, ec.ECDSA(hashes.SHA256()))
            deleted = await async_client.delete_key(each, _polling_interval=0.05)
            assert deleted.name == each
            await async_client.purge_deleted_key(each)


run_async("async KeyClient and CryptographyClient with the async DefaultAzureCredential: a lifecycle", async_lifecycle)

# --- every api-version the package offers ---------------------------------------------------------


@check("every ApiVersion of the package (2016-10-01 included) reads and lists")
def _():
    for version in ApiVersion:
        versioned = KeyClient(VAULT_URL, credential, api_version=version, verify_challenge_resource=False)
        key = versioned.get_key(ec_name)
        assert key.name == ec_name, version
        assert next(iter(versioned.list_properties_of_keys())) is not None, version


print(json.dumps(results))
sys.exit(0)
