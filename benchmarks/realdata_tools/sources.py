"""Which files of which public repositories make up the real-postmortem corpus.

Each source names the organisation that WROTE the documents (for a collection repository,
that is the company of each document, not the collector), the repository, and which paths
count. Only the selection lives here; the text itself never enters this repository.
``collect.py`` applies this selection to the fetched snapshots in /work/.mirror and writes
``manifest.jsonl``; ``rebuild.py`` rebuilds the documents from the manifest alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    org: str  # slug of the organisation that wrote the documents
    repo: str  # owner/name on GitHub
    include: str  # regular expression a path must match (re.search)
    exclude: tuple[str, ...] = field(default=())  # expressions that drop a path
    note: str = ""
    common_exclude: bool = True  # False when a README *is* the report


# Paths that are never postmortems, whatever the repository.
COMMON_EXCLUDE = (
    r"(?i)(^|/)readme(\.[a-z]+)?$",
    r"(?i)(^|/)license",
    r"(?i)template",
    r"(?i)(^|/)index\.(md|rst)$",
    r"(?i)(^|/)summary\.md$",
    r"(?i)_toc\.",
    r"(?i)contributing",
    r"(?i)\.(csv|json|ya?ml|png|jpe?g|gif|svg|pdf|py|sh|tex)$",
)

SOURCES: tuple[Source, ...] = (
    Source("chia", "Chia-Network/post-mortem", r"^\d{4}-\d{2}/[^/]+\.md$"),
    Source("yearn", "yearn/yearn-security", r"^disclosures/[^/]+\.md$"),
    Source("posthog", "PostHog/post-mortems", r"^(investigations/)?[^/]+\.md$"),
    Source("portswigger", "portswigger-cloud/postmortems", r"^\d{4}/\d{2}/[^/]+\.md$"),
    Source("learningequality", "learningequality/postmortems", r"^\d{3}-[^/]+\.md$"),
    Source("cog-uk", "COG-UK/dipi-group", r"^postmortems/[^/]+\.md$"),
    Source(
        "mybinder",
        "jupyterhub/mybinder.org-deploy",
        r"^docs/source/incident-reports/[^/]+\.md$",
    ),
    Source("kubernetes", "kubernetes/test-infra", r"^docs/post-mortems/[^/]+\.md$"),
    Source("2i2c", "2i2c-org/incident-reports", r"^reports/[^/]+\.md$"),
    Source("persistence", "persistenceOne/incident-reports", r"^(testnet/)?[^/]+\.md$"),
    Source("comdex", "comdex-official/incident-reports", r"^(comdex-1|testnet)/[^/]+\.md$"),
    Source(
        "terp",
        "terpnetwork/incident-reports",
        r"^[^/]+/(README|upgrade|ibc_client_recovery)\.md$",
        exclude=(r"^upgrade-beta/",),
        note="each dated folder is one incident; its README is the report",
        common_exclude=False,
    ),
    Source(
        "terra-rebels",
        "terra-rebels/postmortems",
        r"^[^/]+\.md$",
        exclude=(r"SecOps-Review",),
        note="the SecOps review is a dependency scan, not an incident",
    ),
    Source(
        "secret-network",
        "SecretFoundation/docs",
        r"^infrastructure/post-mortems-upgrades/[^/]+\.md$",
    ),
    Source("status-im", "status-im/status-security", r"^post-mortems/\d{4}/[^/]+$"),
    Source(
        "origin-protocol",
        "OriginProtocol/security",
        r"^incidents/[^/]+\.md$",
        note="Origin's own write-ups of DeFi incidents (theirs and others')",
    ),
    Source("redbrick", "redbrick/docs-old", r"^docs/postmortems/[^/]+\.md$"),
    Source(
        "cosmos",
        "cosmos/incidents",
        r"^(general|hub|ibc)/\d{4}/[^/]+$",
        note="interchainio/incidents holds the same files; only cosmos/incidents is used",
    ),
    Source("felvin", "felvin-search/docs", r"^docs/incident-reports/\d{4}-[^/]+\.md$"),
    Source(
        "taskcluster",
        "taskcluster/taskcluster-retrospectives",
        r"^retrospectives/[^/]+\.md$",
    ),
    Source("ecad-infra", "ECADInfra/docs", r"^celestia/incidents/[^/]+/[^/]+\.md$"),
    Source(
        "pypi",
        "pypi/warehouse",
        r"^docs/blog/posts/\d{4}-\d{2}-\d{2}-("
        r"account-takeover|incident-report-[^/]*|aiocpa-attack-analysis|"
        r"ultralytics-attack-analysis|github-actions-token-exfiltration|"
        r"pypi-and-shai-hulud|file-hosting-errors)\.md$",
        note="only the blog posts that report an incident",
    ),
    Source(
        "ethereum",
        "ethereum/pm",
        r"^Network-Upgrade-Archive/[^/]+/[^/]*postmortem[^/]*\.md$",
    ),
    Source("mezo", "mezo-org/mezod", r"^docs/reports/\d{4}-\d{2}-\d{2}-[^/]+\.md$"),
)
