-- Who may read and write (docs/security.md): tenants, keys, dashboard users
-- and their sessions. These tables live in the main database only; each
-- tenant's telemetry lives in a database of its own. Rows are versioned and
-- never updated in place: a change is a new row with a higher Version, read
-- back with FINAL.

CREATE TABLE IF NOT EXISTS {{db}}.access_tenants {{on_cluster}}
(
    TenantId   String,
    CreatedAt  DateTime64(3),
    CreatedBy  String,
    Version    UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY TenantId;

-- Keys are kept as the SHA-256 digest of the whole key, never the key.
CREATE TABLE IF NOT EXISTS {{db}}.access_keys {{on_cluster}}
(
    KeyId      String,
    TenantId   String,
    Name       String,
    Kind       LowCardinality(String),
    Scopes     Array(LowCardinality(String)),
    Service    String,
    Origins    Array(String),
    Digest     String,
    CreatedAt  DateTime64(3),
    CreatedBy  String,
    RevokedAt  Nullable(DateTime64(3)),
    Version    UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY KeyId;

-- User names are unique across tenants, so signing in needs no tenant.
-- Passwords as scrypt hashes; single sign-on users have none.
CREATE TABLE IF NOT EXISTS {{db}}.access_users {{on_cluster}}
(
    TenantId     String,
    Username     String,
    Role         LowCardinality(String),
    PasswordHash String,
    CreatedAt    DateTime64(3),
    CreatedBy    String,
    Deleted      UInt8,
    Version      UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY Username;

-- Sessions as the SHA-256 digest of the token; ended or expired ones age out.
CREATE TABLE IF NOT EXISTS {{db}}.access_sessions {{on_cluster}}
(
    SessionId  String,
    Digest     String,
    TenantId   String,
    Username   String,
    Role       LowCardinality(String),
    CsrfToken  String,
    CreatedAt  DateTime64(3),
    ExpiresAt  DateTime64(3),
    Ended      UInt8,
    Version    UInt64
)
ENGINE = ReplacingMergeTree(Version)
ORDER BY SessionId
TTL toDateTime(ExpiresAt) + INTERVAL 1 DAY;
