# Hand-written incident specs: destructive commands, dependency API drift, resource exhaustion.

INCIDENTS = [
    # ------------------------------------------------------------------ destructive-command
    dict(
        slug="sessions-table-dropped-on-primary",
        date="2025-10-14", start="15:22", sev="SEV1", team="identity",
        services=["auth-db", "session-service"], authors=["oskar", "keiko", "fatima"],
        title="Every user signed out after the sessions table was dropped in production",
        rc="destructive-command", dg="one-off", rl="waiting-for-approval",
        det=1, ack=1, mit=64, clear=20,
        users=318000,
        impact="""All 318,000 active sessions were invalidated, so every signed-in user on web and mobile was logged out at once.
New sign-ins failed for {min} minutes while the table was restored. Password-reset emails spiked 9x as people assumed
they'd been hacked; support published a macro.""",
        trig=("`DROP TABLE sessions;` executed in a psql session connected to auth-db primary", "engineer's terminal"),
        page=("Engineer who ran the command declares the incident in #incidents", "Fatima"),
        ack_text="Incident commander assigned",
        mid=[("Decision: restore from last night's snapshot + WAL replay to 15:21", None),
             ("Restore needs the DBA break-glass role; requested in the access portal", None),
             ("Access granted by DBA on-call (approval sat in queue 22 min)", "DBA (Pieter)"),
             ("PITR to 15:21:40 running on a new instance", None),
             ("Status page: 'You may be signed out; your data is safe'", "keiko")],
        fix=("sessions table copied back into primary; sign-ins succeed", None),
        done="All-clear: sign-in success rate 99.6%",
        broke="""While cleaning up a staging migration, an engineer had two terminal tabs open: one to staging, one to the
production primary for a read-only query earlier in the day. `DROP TABLE sessions;` went to the production tab. The
production role had DDL rights because the same role runs migrations.

All session lookups failed with `relation "sessions" does not exist`; the session service treated that as
'no session' and the apps redirected to sign-in.""",
        why="""Interactive production access used a role with DROP privileges and nothing in the prompt or connection made the
environment obvious. This is a system gap, not a person's mistake: the same role is used for migrations and ad-hoc
reads.""",
        lag_det="none — the engineer noticed immediately and declared the incident within a minute",
        lag_resp="restoring needs the DBA break-glass role, which is granted through an access-portal approval that has no incident fast path; 22 minutes in the queue",
        changes=[
            "PR: ad-hoc prod access uses a read-only role; DDL only through the migration runner",
            "PR: psql prompt shows environment in red for production (shared .psqlrc in bastion image)",
            "Runbook: DBA break-glass requests tagged INCIDENT page the DBA on-call directly",
            "Drill: quarterly PITR restore of auth-db to a scratch instance, timed",
        ],
    ),
    dict(
        slug="es-nodes-wiped-by-unset-variable",
        date="2025-12-11", start="03:14", sev="SEV2", team="data",
        services=["elasticsearch", "search-indexer", "log-search"], authors=["elif", "tomasz"],
        title="Cleanup script with an empty variable deleted data on three Elasticsearch nodes",
        rc="destructive-command", dg="alert-threshold-too-high", rl="stale-runbook",
        det=41, ack=4, mit=52, clear=45,
        users=9300,
        impact="""Product search returned partial results (missing about 38% of the catalog) for {min} minutes, affecting roughly
9,300 searching users. Internal log search was unavailable for the same period.""",
        trig=("Nightly cleanup cron runs `rm -rf \"$SNAPSHOT_DIR\"/*` with SNAPSHOT_DIR unset on es-data-04..06", "cron"),
        page=("Cluster health RED alert (threshold: red for 30 min) pages", "PagerDuty"),
        mid=[("Scope: 3 of 9 data nodes lost their data path; 212 primary shards unassigned", None),
             ("Runbook: `curl -XPOST _snapshot/s3-nightly/latest/_restore` — 404, repository was renamed to s3-daily during the 8.x upgrade", None),
             ("Listed repositories, found s3-daily; restore of missing indices started", None)],
        fix=("Product index restored from 02:00 snapshot, search complete again", None),
        post=[("Replayed indexer queue from 02:00 to catch up changes", "tomasz")],
        done="All-clear: cluster GREEN",
        broke="""The cleanup script was written for the old snapshot host, where SNAPSHOT_DIR came from /etc/environment. After the
hosts were rebuilt the variable was no longer set, so the command expanded to `rm -rf /*`, running as the
elasticsearch user. It could only delete what that user owns — which is the data path. Three nodes lost all shards;
primaries with replicas on other nodes recovered, but 212 primaries had both copies on the wiped nodes (we had
allocation awareness off).""",
        why="""A shell script deleted with an unset variable because it doesn't use `set -u` or `${VAR:?}`; the blast radius was
multiplied by replica placement that ignored node groups.""",
        lag_det="cluster-RED alert waits 30 minutes because short red blips happen during rolling restarts",
        lag_resp="the restore command in the runbook referenced a snapshot repository name that changed in the 8.x upgrade",
        changes=[
            "PR: cleanup script uses `set -euo pipefail` and `${SNAPSHOT_DIR:?}`; shellcheck in CI for ops/scripts",
            "PR: shard allocation awareness by rack so replicas never share a node group",
            "Alert: cluster RED for 3 minutes pages #data-oncall outside maintenance windows",
            "Runbook: restore command updated to s3-daily and a `_snapshot/_all` listing step",
        ],
    ),
    dict(
        slug="terraform-destroyed-ratelimit-redis",
        date="2026-02-19", start="11:48", sev="SEV2", team="platform",
        services=["redis-ratelimit", "api-gateway", "terraform"], authors=["kwame", "devin"],
        title="Terraform replaced the rate-limit Redis cluster and the gateway failed closed",
        rc="destructive-command", dg="missing-alert-on-metric", rl="investigate-before-rollback",
        det=6, ack=2, mit=33, clear=9,
        users=47700,
        impact="""For {min} minutes the API gateway rejected about half of all requests with 503 while it couldn't reach the
rate-limit store: roughly 47,700 users across web, mobile and API saw errors.""",
        trig=("`terraform apply` in infra-live/platform replaces aws_elasticache_replication_group.ratelimit (destroy then create)", "ci-terraform"),
        page=("Gateway 5xx burn-rate alert pages", "PagerDuty"),
        mid=[("Looked at gateway logs: 'ratelimit backend unavailable'", None),
             ("Spent time checking Redis node metrics and security groups", None),
             ("Found the apply in #infra-changes: cluster was destroyed and is being recreated (~25 min)", None)],
        fix=("Set gateway ratelimit.fail_mode=open via flag; 503s stop", None),
        post=[("New Redis cluster available; fail_mode back to closed", "devin")],
        done="All-clear: gateway 5xx < 0.1%",
        broke="""A refactor moved the Redis module into a new path. Terraform saw the old address disappear and a new one
appear, and planned destroy + create. The plan said `1 to destroy` in a 400-line output; the PR was approved. On
apply the cluster was deleted first. The gateway is configured to fail closed when the rate-limit store is
unreachable, so it returned 503 for requests it couldn't count.""",
        why="""A resource move without a `moved` block turned into destroy-then-create of a stateful cluster; nothing in CI
blocks plans that destroy stateful resources.""",
        lag_det="gateway 'ratelimit backend errors' counter existed but had no alert, so we waited for the overall 5xx burn alert",
        lag_resp="on-call debugged Redis connectivity for 25 minutes instead of flipping the fail-open flag the runbook lists as step one",
        changes=[
            "PR: CI fails terraform plans that destroy resources tagged stateful=true unless the PR has `allow-destroy`",
            "PR: prevent_destroy lifecycle on all ElastiCache and RDS resources",
            "Alert: gateway_ratelimit_backend_errors > 50/min for 2 minutes pages #platform-oncall",
        ],
    ),
    dict(
        slug="ops-agent-deleted-canary-namespace",
        date="2026-04-28", start="10:02", sev="SEV2", team="ml-platform",
        services=["ops-agent", "kubectl-tool", "checkout-canary"], authors=["priya", "jonah", "kwame"],
        title="Ops agent ran kubectl delete namespace against production instead of staging",
        rc="destructive-command", dg="no-eval-case", rl="scope-check-skipped",
        det=3, ack=1, mit=29, clear=25,
        users=5200,
        impact="""The checkout canary namespace in production was deleted, taking 5% of checkout traffic (about 5,200 shoppers
over {min} minutes) to errors until the load balancer stopped routing to it. Canary deploys for checkout were blocked
for the rest of the day.""",
        trig=("ops-agent, asked to 'clean up the old canary namespace in staging', runs `kubectl delete namespace checkout-canary` with the prod context", "ops-agent"),
        page=("Checkout canary health alert pages", "PagerDuty"),
        mid=[("Disabled ops-agent entirely and rolled back ops-agent bundle fleet-wide", None),
             ("Checkout errors unchanged — the namespace was already gone; rolling back the agent doesn't restore it", None),
             ("Scope: only checkout-canary deleted; shifted canary weight to 0 at the load balancer", None)],
        fix=("Canary traffic weight set to 0; all checkout traffic on stable", None),
        post=[("Namespace recreated from GitOps; canary re-enabled at 15:00", "kwame")],
        trace="Captured trace 0c94be (context list → chose 'prod-eu' as first match)",
        done="All-clear: checkout success back to 99.4%",
        broke="""The kubectl tool exposes `--context` as a free-text argument. The agent listed contexts, got
['prod-eu', 'staging-eu'], and picked the first. The tool's service account had namespace-delete rights in both
clusters. The deletion took down the canary's 6 pods; the load balancer kept sending 5% of traffic there for 90
seconds and then health checks failed over, but retries from the mobile app kept hitting the stale target group.""",
        why="""Deterministic: the agent's tool credentials allowed destructive verbs in production with no confirmation step.
Stochastic: the model chose a context by list order instead of matching 'staging' from the request; no guard in the
prompt or the tool enforces that.""",
        lag_det="our ops-agent evals cover read-only tasks only; there was no case with a destructive command or an ambiguous context",
        lag_resp="on-call rolled back the agent fleet-wide first, which doesn't undo a deletion; shifting canary weight was the real bleed-stop and came 20 minutes later",
        changes=[
            "PR: kubectl tool denies delete/scale/drain in prod contexts; prod writes require a human approval token",
            "PR: tool requires explicit environment argument matched against the request text",
            "Eval: 12 ambiguous-context and destructive-verb cases; expected behaviour is refusal or confirmation, 20 seeds",
        ],
    ),
    dict(
        slug="s3-recursive-rm-customer-uploads",
        date="2026-06-17", start="16:40", sev="SEV2", team="data",
        services=["uploads-bucket", "document-service"], authors=["lucia", "elif"],
        title="aws s3 rm --recursive removed 1.9M customer uploads under the wrong prefix",
        rc="destructive-command", dg="dashboards-only-no-page", rl="waiting-for-approval",
        det=97, ack=5, mit=74, clear=80,
        users=14600,
        impact="""About 14,600 customers who opened a document during the window got "file not found". 1.9 million objects were
delete-marked; bucket versioning meant nothing was permanently lost, and every object was restored by 20:30 UTC.""",
        trig=("Operator pastes a retention command without its continuation backslash: `aws s3 rm s3://uploads-prod/ --recursive` runs with no filters", "operator shell"),
        page=("Customer success posts in #incidents: several customers report missing files", "CSM (Hao)"),
        mid=[("document-service 404 rate visible on Grafana since 16:40 — 100% for objects outside tmp/", None),
             ("Removing delete markers needs s3:DeleteObjectVersion on the prod bucket; access request sent to security", None),
             ("Security grants a 4-hour scoped role", "security (Dagny)"),
             ("Batch job removing 1.9M delete markers started", None),
             ("Customer success given a holding statement for affected accounts", "elif")],
        fix=("Most-accessed 50k objects restored first; 404 rate under 5%", None),
        done="All-clear: all delete markers removed, 404 rate at baseline",
        broke="""The operator meant to delete tmp/ objects older than 30 days and pasted a two-line command from a wiki page. The
line break lost its backslash, so the shell ran the first line — a recursive delete of the whole bucket — and then
failed on the second. The CLI deleted 1.9M objects in 11 minutes before the operator noticed non-tmp keys scrolling
past and hit Ctrl-C.""",
        why="""A recursive delete on a production bucket was run by hand from a laptop with full write credentials. Retention
belongs in a lifecycle rule, not an operator's shell.""",
        lag_det="document-service 404 rate sits on a dashboard; it has never had an alert because 404s are 'user errors'",
        lag_resp="removing delete markers needed a scoped role that only security can grant; the request waited 40 minutes",
        changes=[
            "PR: S3 lifecycle rule expires tmp/ after 30 days; manual retention runs removed",
            "PR: humans get read-only on uploads-prod; deletes only via the retention service role",
            "Alert: document-service 404 ratio > 2% for 5 minutes pages #data-oncall",
            "Runbook: pre-approved 'restore from delete markers' role for the data on-call",
        ],
    ),
    dict(
        slug="rabbitmq-pvcs-deleted-empty-selector",
        date="2026-07-09", start="21:35", sev="SEV2", team="platform",
        services=["rabbitmq", "notification-worker", "email-sender"], authors=["devin", "hana"],
        title="Empty label selector deleted every PVC in the messaging namespace",
        rc="destructive-command", dg="alert-routed-to-wrong-channel", rl="pager-not-acked",
        det=22, ack=19, mit=40, clear=30, esc_after=15, acker="hana",
        users=88000,
        impact="""About 88,000 notifications (order confirmations, shipping updates, password resets) queued in RabbitMQ were
lost. Password resets were re-requestable; order confirmations were regenerated from the orders table the next
morning. Email and push were down for {min} minutes.""",
        trig=("Cleanup script runs `kubectl delete pvc -n messaging -l app=$APP` with APP empty", "cleanup-job"),
        page=("RabbitMQ 'node down' alert fires into #platform-alerts-noisy; a platform engineer sees it and pages on-call manually", "Arjun"),
        mid=[("Scope: all three RabbitMQ nodes' PVCs deleted; pods stuck terminating, volumes released", "hana"),
             ("Decided not to try recovering released EBS volumes; redeploying RabbitMQ from scratch", "hana")],
        fix=("RabbitMQ redeployed on fresh volumes; publishers reconnect", "hana"),
        post=[("Order confirmation regeneration job scheduled for 07:00", "devin")],
        done="All-clear: notification throughput normal",
        broke="""`kubectl delete pvc -l app=` with an empty value matches every PVC that has an `app` label — in this namespace, all
three RabbitMQ data volumes. The StatefulSet's reclaim policy was Delete, so the EBS volumes went with them. 88k
messages in durable queues were gone.""",
        why="""A cleanup script built a label selector from an unvalidated variable; the storage class for the message broker
used reclaimPolicy: Delete.""",
        lag_det="'RabbitMQ node down' goes to #platform-alerts-noisy, which most of the team has muted; it wasn't a page",
        lag_esc="manual page at 21:57 wasn't acked for 15 minutes (primary's phone on charge downstairs); secondary picked it up",
        changes=[
            "PR: cleanup script refuses empty selectors (`${APP:?}`) and runs with --dry-run first",
            "PR: storage class for stateful middleware uses reclaimPolicy: Retain",
            "Alert: rabbitmq node down / quorum lost routes to PagerDuty platform-primary",
            "PR: move 'noisy' channel alerts that indicate data loss to the pager",
        ],
    ),
    dict(
        slug="ledger-holds-truncated-by-migration",
        date="2026-09-03", start="05:50", sev="SEV1", team="payments",
        services=["ledger", "wallet-api", "migrations"], authors=["ravi", "marcus"],
        title="Migration truncated the ledger holds table and wallets showed spendable money they didn't have",
        rc="destructive-command", dg="alert-threshold-too-high", rl="one-off",
        det=24, ack=2, mit=5, clear=95,
        users=7150, money="31,870.00 USD overspent (recovered 29,400.00)",
        impact="""Authorization holds for 7,150 wallets disappeared, so their available balance looked higher than it was. 312
wallets spent into held funds before we froze spending: 31,870.00 USD in overdrafts. 29,400.00 USD was recovered as
pending card settlements arrived; the rest is being collected.""",
        trig=("Migration 2026_09_03_01 runs `TRUNCATE ledger_holds` (intended: delete expired holds)", "migration-runner"),
        page=("Negative balance alert (threshold 500 wallets) pages", "PagerDuty"),
        mid=[("Scope: all wallets with open holds; holds table empty", None),
             ("Decision: freeze spending; rolling back the migration cannot restore rows", None)],
        fix=("Kill switch on: wallet spending paused globally", None),
        post=[("Holds rebuilt from the card-authorization event log with a script written during the incident", "marcus"),
              ("Spending unfrozen", "ravi")],
        done="All-clear: holds table reconciled against auth events, spending enabled",
        broke="""The migration was supposed to delete holds older than 30 days. The author tested it against a fixture where
every hold was expired, so `TRUNCATE` and `DELETE ... WHERE expires_at < now()` behaved identically. In production it
removed 41,200 rows, of which 9,880 were live holds on 7,150 wallets.""",
        why="""A destructive migration ran without a dry-run row count and the only test fixture couldn't tell TRUNCATE from the
intended DELETE.""",
        lag_det="negative-balance alert needs 500 wallets below zero; it fired when 312 had overspent and many more were close",
        lag_resp="the bleed-stop here was a spending freeze, not a rollback — rolling back the migration can't restore rows. The freeze was quick; rebuilding holds took another 95 minutes because the rebuild script had to be written during the incident",
        changes=[
            "PR: migration runner requires `expected_rows` for DELETE/TRUNCATE and aborts if off by > 10%",
            "PR: holds rebuild-from-events script checked in with a test",
            "Alert: negative wallet balances > 20 pages payments-primary",
        ],
    ),
    # ------------------------------------------------------------------ dependency-api-drift
    dict(
        slug="carrier-api-tracking-number-nested",
        date="2025-10-28", start="07:05", sev="SEV3", team="platform",
        services=["fulfillment", "carrier-adapter"], authors=["kwame", "sasha"],
        title="Shipping labels failed after the carrier nested tracking_number in an object",
        rc="dependency-api-drift", dg="missing-alert-on-metric", rl="pager-not-acked",
        det=140, ack=24, mit=31, clear=20, esc_after=20, acker="sasha",
        users=3900,
        impact="""3,900 orders shipped a day late because no label could be printed for that carrier between 07:05 and 10:16 UTC.
Warehouse staff in Leeds and Lyon worked around it by switching 600 parcels to a second carrier.""",
        trig=("Carrier switches its label API response to v2 shape (`tracking: {number, url}`) without a version bump", "carrier"),
        page=("Warehouse lead phones the support line; support pages fulfillment on-call", "support (Grace)"),
        mid=[("Confirmed: 100% of label calls fail with KeyError 'tracking_number' since 07:05", "sasha"),
             ("Hotfix to read both shapes built and deployed", "sasha")],
        fix=("carrier-adapter 3.12.1 live; labels printing", "sasha"),
        done="All-clear: label backlog of 3,900 printed",
        broke="""The carrier changed its response for label creation from `tracking_number: "1Z..."` to
`tracking: {"number": "1Z...", "url": ...}` on the same endpoint and version path. Our adapter raised on the missing
key and the fulfillment worker retried three times then parked the job. The parked-job count climbed from 0 to 3,900;
it's a metric we graph but nobody alerts on.""",
        why="""We depend on an unversioned vendor endpoint and deserialize strictly without a contract test against their
sandbox; the vendor's changelog entry was published the same morning.""",
        lag_det="parked fulfillment jobs is graphed but has no alert; the warehouse noticed before we did",
        lag_esc="primary was on leave and the override wasn't set; the page reached the secondary only through the 20-minute escalation",
        changes=[
            "PR: contract test against the carrier sandbox runs hourly and alerts on schema change",
            "Alert: parked fulfillment jobs > 50 for 10 minutes pages #platform-oncall",
            "Ticket: PagerDuty override check added to leave-booking checklist",
        ],
    ),
    dict(
        slug="psp-3ds-field-renamed-eu-auth",
        date="2025-12-16", start="12:00", sev="SEV1", team="payments",
        services=["payments-gateway", "psp-adapter", "checkout"], authors=["marcus", "ines"],
        title="EU card payments requiring 3-D Secure failed after PSP retired API version 2023-10",
        rc="dependency-api-drift", dg="alert-routed-to-wrong-channel", rl="investigate-before-rollback",
        det=17, ack=3, mit=48, clear=12,
        users=11300, money="1,020,000.00 USD (failed checkout volume)",
        impact="""11,300 customers in the EU whose banks challenged the payment with 3-D Secure couldn't complete checkout for
{min} minutes; failed volume was about 1,020,000.00 USD. Non-EU and frictionless payments were fine.""",
        trig=("PSP retires API version 2023-10 for our account (scheduled; notice went to a shared inbox)", "PSP"),
        page=("'3DS challenge failures' alert posts in #checkout-eu; EU PM escalates to payments on-call", "PM (Elena)"),
        mid=[("Rolled back payments-gateway to yesterday's release; no change", None),
             ("Reading PSP responses: `next_action.redirect_to_url` missing; present as `next_action.redirect.url`", None),
             ("Found PSP deprecation notice dated 2025-09-15", None),
             ("Asked PSP support whether anything changed on their side; no answer yet", None),
             ("Decided to route EU 3DS traffic to secondary PSP while patching", None)],
        fix=("EU 3DS traffic failed over to secondary PSP", None),
        post=[("psp-adapter patched for new shape; primary PSP restored at 14:10", "ines")],
        done="All-clear: EU 3DS success rate 91%",
        broke="""The PSP auto-upgraded our account from API version 2023-10 to 2025-06 when the old version reached end of life.
In the new version the 3DS redirect lives under `next_action.redirect.url`. Our adapter didn't find the old field,
treated the payment as failed and showed the customer a generic decline. Only challenged payments go through this
path — about 18% of EU volume.""",
        why="""We pinned nothing: the account followed the PSP's default API version, and deprecation notices went to an inbox no
one reads. Rolling back our code could not help because the change was on the vendor's side.""",
        lag_det="the 3DS failure alert is routed to the EU checkout product channel, not to payments on-call",
        lag_resp="on-call rolled back our gateway and read responses for half an hour before choosing the failover to the secondary PSP, which was the available bleed-stop",
        changes=[
            "PR: pin PSP API version in every request header; version bumps become PRs",
            "Alert: 3DS challenge failure rate > 10% for 5 minutes pages payments-primary",
            "Ticket: PSP notices routed to payments-vendors@ with an owner on rotation",
            "Runbook: 'vendor-side change' branch — fail over to secondary PSP first",
        ],
    ),
    dict(
        slug="research-agent-search-api-cursor-pagination",
        date="2026-01-21", start="17:30", sev="SEV3", team="ml-platform",
        services=["research-agent", "web-search-tool"], authors=["mei", "priya"],
        title="Research agent told 40% of users there were no results after search API moved to cursors",
        rc="dependency-api-drift", dg="no-eval-case", rl="scope-check-skipped",
        det=190, ack=4, mit=36, clear=14,
        users=2480,
        impact="""About 2,480 research-assistant sessions got "I couldn't find any sources on this" for queries that had results.
Enterprise trial users were overrepresented; two trials cited it in their churn survey.""",
        trig=("Search vendor rolls out cursor pagination: `results` empty on first page, items under `data.items`", "vendor"),
        page=("Thumbs-down rate alert (> 15% over 3 hours) pages", "PagerDuty"),
        mid=[("Rolled back research-agent from bundle v44 to v43", None),
             ("No change after rollback; empty-result rate still 41%", None),
             ("Replayed failing trace: tool returns [] for 'EU battery regulation 2026'; raw vendor JSON has 10 items under data.items", None)],
        fix=("web-search-tool patched to read data.items and follow cursors", "priya"),
        trace="Captured failing trace e4402a and raw vendor response",
        done="All-clear: empty-result rate back to 3%",
        broke="""The vendor moved from offset pagination to cursor pagination and changed the response envelope. For queries where
the vendor had 'instant answers' the legacy `results` field was still populated, so the tool worked ~60% of the
time. Otherwise `results` was an empty list and the agent honestly reported finding nothing.""",
        why="""Our search tool parsed a vendor response shape with no version pinning and treated a missing field as an empty
result instead of an error.""",
        lag_det="the tool's eval runs against recorded vendor fixtures from 2025, so a live shape change never reaches the eval suite",
        lag_resp="the agent bundle was rolled back first although nothing in the bundle had changed; a scope check on tool outputs would have pointed at the vendor",
        changes=[
            "PR: web-search-tool raises on unknown envelope instead of returning []",
            "Eval: daily live-vendor smoke eval of 25 queries with known results",
            "Alert: web-search-tool empty-result rate > 15% for 15 minutes pages #ml-oncall",
        ],
    ),
    dict(
        slug="geoip-alpha3-broke-tax-calc",
        date="2026-03-18", start="09:00", sev="SEV2", team="data",
        services=["tax-service", "geoip-lib"], authors=["lucia", "tomasz"],
        title="VAT not charged on 14k EU orders after the geo-IP library switched to alpha-3 codes",
        rc="dependency-api-drift", dg="dashboards-only-no-page", rl="stale-runbook",
        det=1260, ack=5, mit=26, clear=30, full=True,
        users=14020, money="212,700.00 EUR VAT not collected",
        impact="""14,020 orders from EU customers were charged without VAT for 21 hours: 212,700.00 EUR that we now owe the tax
authorities ourselves. Customers were not re-billed.""",
        trig=("tax-service deploys with geoip-lib 6.0 (Dependabot bump)", "deploy-bot"),
        page=("Finance's daily VAT report shows EU VAT 96% below forecast; finance pages data on-call", "finance (Yara)"),
        mid=[("Scope: all EU countries; country code now 'DEU' not 'DE' so tax rules don't match", None),
             ("Runbook: `deployctl rollback tax-service` — 'service not found': tax-service moved to the data-apps namespace and the runbook still uses the old name", None),
             ("Rolled back via `deployctl rollback data-apps/tax-service`", None)],
        fix=("tax-service back on geoip-lib 5.4", None),
        done="All-clear: VAT applied on test orders from DE, FR, NL",
        broke="""geoip-lib 6.0 changed `country_code` to return ISO 3166 alpha-3 ("DEU") by default; alpha-2 moved to
`country_code_2`. Our tax rules are keyed by alpha-2, so no EU rule matched and orders fell through to the zero-rate
default. The Dependabot PR passed tests because the tests mock geoip-lib.""",
        why="""A major-version dependency bump changed a return value's format; tests mocked the dependency, and the tax
service's fallback for an unknown country is 0% instead of an error.""",
        lag_det="the 'VAT collected per hour' panel went flat at 09:00 but it's dashboard-only; finance's report is daily",
        lag_resp="rollback command in the runbook used the service's pre-migration name and failed",
        changes=[
            "PR: unknown country in tax-service raises and blocks checkout for that order instead of 0%",
            "PR: Dependabot major bumps for geoip-lib require a human reviewer; contract test uses the real library",
            "Alert: VAT collected per hour < 30% of forecast for 2 hours pages #data-oncall",
            "Runbook: tax-service rollback command corrected",
        ],
    ),
    dict(
        slug="sms-vendor-error-codes-otp-not-retried",
        date="2026-04-09", start="19:20", sev="SEV2", team="identity",
        services=["otp-service", "sms-gateway"], authors=["keiko", "fatima"],
        title="One-time passcodes not delivered in Brazil and India after SMS vendor changed error codes",
        rc="dependency-api-drift", dg="no-synthetic-check", rl="waiting-for-approval",
        det=88, ack=3, mit=62, clear=15,
        users=8700,
        impact="""About 8,700 users in Brazil and India couldn't sign in with SMS codes for {min} minutes. Users with
authenticator apps were fine. Sign-in success in those two countries dropped from 96% to 58%.""",
        trig=("SMS vendor starts returning 30410 (new 'carrier temporarily unreachable') instead of 30003", "vendor"),
        page=("Support sees a cluster of 'code never arrived' tickets from BR/IN and pages", "support (Mo)"),
        mid=[("Confirmed: otp-service treats unknown codes as permanent failure; no retry, no fallback route", None),
             ("Fallback to secondary SMS vendor needs a contract-level sender ID approval in BR; vendor support ticket opened", None),
             ("Vendor approves secondary sender ID for BR; IN already approved", "vendor support")],
        fix=("BR and IN routed to secondary SMS vendor", None),
        done="All-clear: OTP delivery in BR/IN at 97%",
        broke="""The vendor split error 30003 into more specific codes, including 30410 for a retryable carrier condition. Our
otp-service has an allowlist of retryable codes; anything else is treated as 'invalid number' and not retried on
the secondary vendor. In BR and IN one large carrier was flapping, so 40% of messages got 30410.""",
        why="""We map vendor error codes with a closed allowlist and default unknown codes to 'permanent failure'; the vendor
added codes without notice.""",
        lag_det="no synthetic OTP delivery test for BR/IN numbers; we only notice through support tickets",
        lag_resp="sending from the secondary vendor in Brazil needs a registered sender ID, and registering it needed the vendor's approval during the incident",
        changes=[
            "PR: unknown vendor error codes are treated as retryable on the secondary vendor",
            "PR: synthetic OTP send-and-receive every 10 minutes to test numbers in BR, IN, ID, US",
            "Ticket: pre-register secondary vendor sender IDs in all 14 countries with registration rules",
        ],
    ),
    dict(
        slug="ingress-nginx-upgrade-rewrite-semantics",
        date="2026-06-24", start="13:25", sev="SEV2", team="edge",
        services=["ingress-nginx", "api-v1"], authors=["theo", "sven"],
        title="/api/v1 returned 404 after the ingress controller upgrade changed rewrite rules",
        rc="dependency-api-drift", dg="missing-alert-on-metric", rl="investigate-before-rollback",
        det=9, ack=1, mit=30, clear=10,
        users=15400,
        impact="""Clients still on /api/v1 (older mobile app versions, about 15,400 users) got 404s for {min} minutes. v2
clients were fine.""",
        trig=("ingress-nginx upgraded 1.9 → 1.11 on edge-prod", "platform upgrade pipeline"),
        page=("Mobile crash-free rate alert for app versions < 8.0 pages", "PagerDuty"),
        mid=[("Looking at api-v1 pods: healthy, no traffic reaching them", None),
             ("Tested rewrite with curl: /api/v1/orders → backend receives /orders/orders", None),
             ("Read upgrade notes: capture-group handling in rewrite-target changed with the new path type validation", None)],
        fix=("Rolled ingress-nginx back to 1.9 on edge-prod", None),
        done="All-clear: v1 404 rate 0.2%",
        broke="""Our api-v1 Ingress used `rewrite-target: /$2` with a regex path. With the new controller's strict path
validation our path was reinterpreted as Prefix and the capture group reference produced a doubled path. Every v1
request 404'd at the backend.""",
        why="""A controller upgrade changed how an annotation is interpreted; the upgrade was tested against v2 routes only.""",
        lag_det="per-ingress 404 rate is exported but not alerted on; we were paged by the mobile crash alert instead",
        lag_resp="we reproduced and read release notes for 20 minutes before rolling back a change we already knew was the only thing that had moved",
        changes=[
            "PR: upgrade pipeline runs route conformance tests for every Ingress (v1 included) in staging",
            "Alert: per-ingress 404 ratio > 5% for 3 minutes pages #edge-oncall",
        ],
    ),
    dict(
        slug="llm-provider-tool-args-object-not-string",
        date="2026-08-19", start="16:12", sev="SEV2", team="ml-platform",
        services=["support-agent", "llm-gateway", "tool-runner"], authors=["jonah", "mei"],
        title="Support agent stopped calling tools when the provider began returning arguments as objects",
        rc="dependency-api-drift", dg="alert-threshold-too-high", rl="pager-not-acked",
        det=31, ack=16, mit=24, clear=10, esc_after=15, acker="mei",
        users=3650,
        impact="""For {min} minutes, 3,650 support conversations that needed account lookups got a generic "please contact
support" reply. 910 of them became human tickets.""",
        trig=("Provider ships an SDK-side change: tool_call.arguments delivered as a parsed object instead of a JSON string", "provider"),
        page=("Tool-call failure alert (> 30% for 30 min) pages", "PagerDuty"),
        mid=[("Scope: all tools, all agents using the Python gateway client", "mei")],
        fix=("Gateway client pinned to previous SDK version and redeployed", "mei"),
        trace="Captured trace 1d0f55: json.loads(dict) TypeError in tool-runner",
        done="All-clear: tool-call success 99%",
        broke="""We called `json.loads(tool_call.arguments)`. The provider's SDK minor release started returning the arguments
already parsed, so json.loads raised TypeError and tool-runner reported 'tool failed'. The agent's prompt says to
hand off when a tool fails, so every tool-using conversation ended in a handoff.""",
        why="""An unpinned SDK minor version changed a field's type; our client assumed a string.""",
        lag_det="tool-call failure alert needs 30% for 30 minutes — set when tool flakiness was common; here it was 100% from the first minute",
        lag_esc="the page went unacked for 15 minutes during the primary's commute; PagerDuty escalated to the secondary",
        changes=[
            "PR: pin provider SDK to exact version; weekly upgrade PR runs the tool-call contract tests",
            "PR: tool-runner accepts str or dict arguments",
            "Alert: tool-call failure > 10% for 5 minutes pages #ml-oncall",
        ],
    ),
    # ------------------------------------------------------------------ resource-exhaustion
    dict(
        slug="postgres-disk-full-stuck-replication-slot",
        date="2025-10-03", start="04:12", sev="SEV1", team="data",
        services=["orders-db", "orders-api", "cdc-connector"], authors=["tomasz", "elif"],
        title="Orders database stopped accepting writes when WAL filled the disk",
        rc="resource-exhaustion", dg="alert-threshold-too-high", rl="stale-runbook",
        det=5, ack=2, mit=29, clear=12,
        users=9100, money="164,000.00 USD (failed orders, partially recovered)",
        impact="""Orders could not be placed for {min} minutes; about 9,100 customers hit an error at checkout and roughly
164,000.00 USD of orders failed. A third of those customers came back and completed the order within 24 hours.""",
        trig=("orders-db data volume reaches 100%; PostgreSQL PANIC: could not write to file pg_wal", "orders-db"),
        pre=[],
        page=("orders-api error rate page", "PagerDuty"),
        mid=[("Disk at 100%, pg_wal 1.8 TB; replication slot 'cdc_orders' inactive for 6 days", None),
             ("Runbook: `pgctl slot drop cdc_orders` — pgctl was removed when we moved to the managed operator; 'command not found'", None),
             ("Dropped the slot via psql `SELECT pg_drop_replication_slot('cdc_orders')` and expanded the volume", None)],
        fix=("Postgres back up; writes succeeding", None),
        post=[("CDC connector re-snapshotted from scratch (ran until 09:30)", "elif")],
        done="All-clear: orders-api error rate 0.05%",
        broke="""The change-data-capture connector for orders died six days earlier (OOM, not restarted because the
deployment had been scaled to 0 during a migration and never scaled back). Its replication slot kept every WAL
segment since then: 1.8 TB. The 2 TB volume filled at 04:12 and PostgreSQL stopped.""",
        why="""An abandoned replication slot retained WAL indefinitely; the disk alert fires at 95%, which at our write rate was
only 40 minutes before full, and it fired at 03:30 as a warning to Slack.""",
        lag_det="disk alert is a Slack warning at 85% and a page at 95% — 95% on a 2 TB volume filling at 2.5 GB/min was far too late; no alert on replication-slot lag at all",
        lag_resp="the runbook step for dropping a slot used pgctl, which no longer exists on the operator-managed hosts",
        changes=[
            "Alert: pg_replication_slots retained WAL > 50 GB pages #data-oncall",
            "Alert: disk predicted full within 6h (predict_linear over 1h) pages #data-oncall",
            "Runbook: drop-slot step uses psql; pgctl references removed from data/postgres.md",
            "PR: CDC connector deployment has minReplicas 1 and a liveness probe",
        ],
    ),
    dict(
        slug="orders-api-hikari-pool-exhausted",
        date="2025-11-12", start="12:30", sev="SEV2", team="payments",
        services=["orders-api", "orders-db"], authors=["ana", "marcus"],
        title="orders-api timed out for 25 minutes after a slow report query held every connection",
        rc="resource-exhaustion", dg="missing-alert-on-metric", rl="investigate-before-rollback",
        det=7, ack=2, mit=20, clear=8,
        users=6850,
        impact="""Order history and order creation timed out for about 6,850 users during lunch-time peak over {min} minutes.
Order creation retried client-side, so most orders went through late; 140 were abandoned.""",
        trig=("New 'orders export' endpoint deployed; merchant triggers a 12-month export", "merchant"),
        page=("orders-api p99 latency > 5s page", "PagerDuty"),
        mid=[("Checking DB CPU — 35%, fine; checking locks — none", None),
             ("Thread dump: 180 threads waiting on HikariPool.getConnection", None),
             ("Found 10 of 10 pool connections held by export queries running ~4 min each", None)],
        fix=("Disabled orders export via feature flag; killed export queries", None),
        done="All-clear: p99 at 240ms",
        broke="""The export endpoint ran its query on the main HikariCP pool (max 10 connections per pod). One merchant's export
took ~4 minutes per page and the merchant clicked 'retry' a few times; within two minutes all 10 connections on
every pod were held by export queries. Everything else waited 30s for a connection and timed out.""",
        why="""A long-running reporting query shared a small connection pool with latency-sensitive requests.""",
        lag_det="hikaricp_connections_pending is exported but there's no alert on it; the latency alert took 7 minutes",
        lag_resp="on-call checked DB CPU, locks and thread dumps before turning off the new export endpoint — the only change of the day",
        changes=[
            "PR: exports run on a separate pool (max 2) against the read replica",
            "Alert: hikaricp_connections_pending > 20 for 2 minutes pages payments-primary",
            "Runbook: 'latency after deploy' starts with disabling the newest flag",
        ],
    ),
    dict(
        slug="embedding-service-oomkilled-batch-size",
        date="2025-12-22", start="10:40", sev="SEV3", team="ml-platform",
        services=["embedding-service", "rag-answers", "kb-agent"], authors=["priya", "jonah"],
        title="Knowledge-base answers went generic while embedding pods were OOMKilled in a loop",
        rc="resource-exhaustion", dg="dashboards-only-no-page", rl="scope-check-skipped",
        det=96, ack=4, mit=38, clear=10,
        users=4420,
        impact="""4,420 help-center questions were answered without retrieved articles for {min} minutes. Answers were generic
and 23% recommended contacting support; contact rate from the help center rose from 6% to 14%.""",
        trig=("embedding-service 2.3 deploys with batch_size 256 (was 32)", "deploy-bot"),
        page=("Help-center contact-rate review in standup; kb on-call asked to check", "Amira (support ops)"),
        mid=[("Rolled back kb-agent bundle to v17 (the only agent change this week)", None),
             ("Still generic; kb-agent retrieval returns [] — rag-answers logs 'embedding timeout'", None),
             ("embedding-service pods: 62 restarts, OOMKilled at 4Gi limit", None)],
        fix=("embedding-service rolled back to 2.2 (batch_size 32)", None),
        post=[("Re-applied kb-agent v18", "jonah")],
        done="All-clear: retrieval hit rate 94%",
        broke="""embedding-service 2.3 increased batch size 8x for throughput. Long help-center queries padded to 512 tokens at
batch 256 need ~6 GB for activations; the pod limit is 4Gi. Pods OOMKilled under load, restarted, accepted a
batch and died again. rag-answers timed out on embeddings and continued without context — by design, which is
why nothing errored.""",
        why="""Batch size was raised without a memory test at max sequence length, and the RAG pipeline degrades silently to
no-context answers.""",
        lag_det="pod restarts and retrieval-empty rate were both on dashboards only; we found out at standup",
        lag_resp="rolled back the agent bundle first without checking which component was failing; the retrieval step was the problem",
        changes=[
            "PR: embedding-service load test at batch_size x 512 tokens in CI",
            "PR: rag-answers returns 'retrieval unavailable' marker and the agent says so instead of answering generically",
            "Alert: retrieval-empty rate > 20% for 10 minutes pages #ml-oncall",
        ],
    ),
    dict(
        slug="gateway-log-volume-inodes-exhausted",
        date="2026-02-03", start="02:50", sev="SEV2", team="edge",
        services=["api-gateway", "log-shipper"], authors=["sven", "lin"],
        terse=True,
        title="API gateway nodes stopped serving when the log volume ran out of inodes",
        rc="resource-exhaustion", dg="missing-alert-on-metric", rl="pager-not-acked",
        det=12, ack=22, mit=33, clear=10, esc_after=15, acker="lin",
        users=21000,
        impact="""About 21,000 API clients saw intermittent 502s for {min} minutes as 7 of 12 gateway nodes failed their health
checks one after another. Error rate peaked at 55%.""",
        trig=("First gateway node hits 100% inode usage on /var/log; nginx can't open new temp files", "gw-07"),
        page=("Gateway 5xx > 5% alert pages", "PagerDuty"),
        mid=[("Disk shows 41% used; `df -i` shows 100% inodes — 4.1M files in /var/log/shipper/spool", "lin"),
             ("Deleted spool files older than 1h on all nodes", "lin")],
        fix=("All 12 nodes healthy; 5xx back to baseline", "lin"),
        done="All-clear after 10 minutes stable",
        broke="""The log shipper writes one spool file per batch when its upstream is slow. A slow downstream since the previous
evening produced 4.1 million small files; the filesystem had plenty of space but no inodes left. nginx couldn't
create proxy temp files and returned 502 for larger responses, then health checks failed.""",
        why="""The shipper's spool has no file-count cap, and our disk monitoring only looks at bytes, not inodes.""",
        lag_det="node_filesystem_files_free is collected but no alert uses it; our disk alerts are on bytes only",
        lag_esc="primary slept through three pages (phone volume issue after an OS update); escalation at 15 minutes reached secondary",
        changes=[
            "Alert: node_filesystem_files_free / files < 10% pages #edge-oncall",
            "PR: shipper spool capped at 50k files, oldest dropped with a counter",
            "Ticket: on-call phone checklist includes a test page after OS updates",
        ],
    ),
    dict(
        slug="session-redis-maxmemory-noeviction",
        date="2026-03-28", start="20:05", sev="SEV2", team="identity",
        services=["session-redis", "auth-web"], authors=["fatima", "oskar"],
        title="New sign-ins failed when session Redis hit maxmemory with noeviction",
        rc="resource-exhaustion", dg="alert-routed-to-wrong-channel", rl="waiting-for-approval",
        det=14, ack=3, mit=41, clear=8,
        users=17300,
        impact="""New sign-ins and token refreshes failed for {min} minutes; about 17,300 users were affected, mostly mobile users
whose access tokens expired during the window and couldn't refresh.""",
        trig=("session-redis reaches maxmemory 12 GB; policy noeviction → writes return OOM", "session-redis"),
        page=("Sign-in success alert fires in #identity-dev (channel set during migration); dev on-call forwards to identity on-call", "Karim"),
        mid=[("Confirmed: OOM command not allowed when used memory > 'maxmemory'", None),
             ("Resizing the managed Redis needs a production change approval in the cloud console (two-person rule)", None),
             ("Second approver found", "Keiko")],
        fix=("Scaled session-redis to 24 GB; writes succeed", None),
        post=[("Set TTL on 11M legacy keys without expiry", "fatima")],
        done="All-clear: sign-in success 99.2%",
        broke="""A migration earlier in March wrote 11 million 'remember-device' keys without a TTL. Memory grew 3% a day and
reached the 12 GB maxmemory at evening peak. With noeviction, every write — including new sessions — failed with
OOM, while reads kept working, which is why existing sessions survived.""",
        why="""Keys written without a TTL grew unbounded in a store configured to refuse writes when full.""",
        lag_det="the sign-in success alert was routed to #identity-dev during the Redis migration and never moved back",
        lag_resp="resizing production Redis requires a two-person approval in the console and the second approver took 25 minutes to reach",
        changes=[
            "PR: remember-device keys written with 90-day TTL; backfill TTL on existing keys",
            "Alert: redis used_memory / maxmemory > 85% pages #identity-oncall",
            "Alert routing: sign-in success alert moved to PagerDuty identity-primary",
            "Runbook: two-person rule has an on-call pairing (secondary is the default second approver)",
        ],
    ),
    dict(
        slug="websocket-gateway-fd-limit",
        date="2026-04-22", start="18:30", sev="SEV2", team="edge",
        services=["ws-gateway", "live-updates"], authors=["lin", "theo"],
        title="Live order tracking froze as websocket gateway hit the file descriptor limit",
        rc="resource-exhaustion", dg="alert-threshold-too-high", rl="investigate-before-rollback",
        det=24, ack=2, mit=31, clear=9,
        users=39000,
        impact="""About 39,000 customers watching order tracking saw a frozen map for up to {min} minutes. Orders were not
affected; push notifications still went out.""",
        trig=("Evening peak: ws-gateway pods reach 65,536 open file descriptors", "ws-gateway"),
        page=("Websocket connect failure alert (> 40% for 20 min) pages", "PagerDuty"),
        mid=[("Investigating: suspected the 17:00 live-updates deploy; read its diff", None),
             ("Logs: 'accept4: too many open files' on every pod", None),
             ("Found new base image sets LimitNOFILE=65536 (was 1M) in the systemd unit", None)],
        fix=("Scaled ws-gateway from 8 to 24 pods; connects succeed", None),
        post=[("Base image patched to LimitNOFILE=1048576", "theo")],
        done="All-clear: connect failures < 1%",
        broke="""A base image update moved ws-gateway under a systemd unit that sets LimitNOFILE=65536. Each client connection
holds two descriptors (client + upstream), so each pod topped out at ~32k clients. At evening peak 8 pods needed
~50k each.""",
        why="""The file-descriptor limit came from a base image default nobody reviewed; connection capacity per pod halved.""",
        lag_det="connect-failure alert requires 40% for 20 minutes, set when mobile clients reconnected noisily in 2024",
        lag_resp="on-call went through the unrelated 17:00 deploy diff before reading the gateway's own logs",
        changes=[
            "PR: ws-gateway sets its own LimitNOFILE and exports process_open_fds / process_max_fds",
            "Alert: open fds > 80% of max for 5 minutes pages #edge-oncall",
            "Alert: connect failure > 5% for 5 minutes (was 40% / 20)",
        ],
    ),
    dict(
        slug="vllm-kv-cache-long-context-queueing",
        date="2026-05-13", start="14:15", sev="SEV2", team="ml-platform",
        services=["inference-vllm", "contract-review-agent"], authors=["mei", "priya"],
        title="Self-hosted inference queued for minutes when long contracts filled the KV cache",
        rc="resource-exhaustion", dg="dashboards-only-no-page", rl="stale-runbook",
        det=48, ack=6, mit=22, clear=20,
        users=610,
        impact="""610 contract-review jobs from 48 customer workspaces took over 10 minutes instead of ~40 seconds; 190 timed
out and had to be resubmitted. Chat features on the same cluster were slow but working.""",
        trig=("Customer uploads batch of 300-page contracts; 128k-token contexts arrive", "customer"),
        page=("Customer success forwards a complaint from a large workspace", "CSM (Hao)"),
        mid=[("GPU KV cache usage 100%, 140 requests waiting, preemptions every second", None),
             ("Runbook: `kubectl scale deploy/vllm --replicas=8` — deployment renamed to vllm-a100 in the April migration; NotFound", None),
             ("Scaled vllm-a100 to 8 and capped max_model_len for the batch route", None)],
        fix=("Queue drains; p95 job time 55s", None),
        done="All-clear: no waiting requests for 15 minutes",
        broke="""vLLM preallocates GPU memory for the KV cache; with 4 replicas and 128k-token prompts, only ~6 concurrent long
requests fit. The batch of 300 long contracts filled the cache, vLLM started preempting and recomputing, and
throughput collapsed. Chat requests, which are short, slipped through between preemptions.""",
        why="""Long-context batch jobs shared an inference pool sized for short chat traffic, with no admission control by
token count.""",
        lag_det="KV cache usage and waiting requests are on the inference dashboard; no alert on either",
        lag_resp="the scale command in the runbook referenced the pre-migration deployment name",
        changes=[
            "PR: separate vLLM pool for > 32k-token requests with queue-based admission",
            "Alert: vllm_num_requests_waiting > 30 for 5 minutes pages #ml-oncall",
            "Runbook: inference scaling section regenerated from the live deployment names",
        ],
    ),
    dict(
        slug="nat-gateway-snat-port-exhaustion",
        date="2026-06-02", start="15:00", sev="SEV2", team="payments",
        services=["payments-gateway", "nat-gateway", "psp-adapter"], authors=["marcus", "ravi"],
        title="Outbound PSP calls failed intermittently from SNAT port exhaustion on the NAT gateway",
        rc="resource-exhaustion", dg="one-off", rl="scope-check-skipped",
        det=35, ack=3, mit=44, clear=16,
        users=5600, money="388,000.00 USD (failed payment attempts; ~70% retried successfully)",
        impact="""About 5,600 payment attempts failed with 'connection timed out' over {min} minutes; most customers retried
successfully. Net lost volume is estimated at 116,000.00 USD.""",
        trig=("Marketing campaign starts; outbound connections from payments subnet to the PSP triple", "campaign"),
        page=("PSP timeout ratio alert pages", "PagerDuty"),
        mid=[("Failed over all traffic to the secondary PSP", None),
             ("Timeouts continue against the secondary too — not a PSP problem", None),
             ("Cloud console: NAT gateway ErrorPortAllocation climbing; all traffic from one AZ's NAT", None)],
        fix=("Enabled keep-alive pooling to the PSP and added two NAT gateway IPs", None),
        post=[("Traffic moved back to primary PSP", "ravi")],
        done="All-clear: connect timeouts at baseline",
        broke="""psp-adapter opened a new TLS connection per request (keep-alive was disabled years ago to work around a PSP
load balancer bug). At campaign peak the NAT gateway ran out of source ports for the PSP's single IP: 55k
concurrent connections per destination. New connections failed with timeouts.""",
        why="""Connection-per-request to a single destination IP through one NAT IP exceeded the NAT's port allocation;
keep-alive had been turned off for an old reason nobody revisited.""",
        lag_det="NAT port allocation errors only exist as a cloud-provider metric we don't export; we saw symptoms, not the cause",
        lag_resp="on-call failed over to the secondary PSP without checking whether the failure was on the PSP side, and lost 25 minutes",
        changes=[
            "PR: psp-adapter uses a pooled keep-alive client (max 200 connections per pod)",
            "PR: export NAT ErrorPortAllocation to Prometheus; alert > 0 for 5 minutes pages payments-primary",
            "PR: two additional EIPs on the payments NAT gateway",
        ],
    ),
    dict(
        slug="clickhouse-disk-full-after-merges",
        date="2026-07-22", start="06:10", sev="SEV3", team="data",
        services=["clickhouse", "customer-analytics"], authors=["elif", "lucia"],
        title="Customer analytics dashboards blank after ClickHouse ran out of disk",
        rc="resource-exhaustion", dg="missing-alert-on-metric", rl="pager-not-acked",
        det=55, ack=25, mit=50, clear=20, esc_after=20, acker="lucia",
        users=2300,
        impact="""About 2,300 customers opening analytics dashboards saw empty charts for {min} minutes, and data ingested
during the window was delayed (not lost — it buffered in Kafka).""",
        trig=("ClickHouse shard 3 disk at 100% during a large merge; inserts fail", "clickhouse"),
        page=("Kafka consumer lag alert for the analytics sink pages", "PagerDuty"),
        mid=[("Shard 3 and 4 disks full; a 1.4 TB merge of the events table in progress", "lucia"),
             ("Dropped detached parts (380 GB) and moved old partitions to cold storage", "lucia")],
        fix=("Inserts succeed; dashboards populate", "lucia"),
        done="All-clear: consumer lag back under 1 minute",
        broke="""Merges need free space roughly equal to the parts being merged. After a backfill the events table had a
few very large parts, and a merge on shard 3 needed 1.4 TB with 1.1 TB free. Inserts failed with 'not enough
space', and dashboard queries started failing on the same shard. 380 GB of detached parts from an aborted migration
in June were still on disk.""",
        why="""Disk headroom wasn't sized for large merges after a backfill, and detached parts from a failed migration were
never cleaned up.""",
        lag_det="we collect ClickHouse disk free per shard but have no alert; the consumer-lag alert fired 55 minutes later",
        lag_esc="primary was on a flight (handover missed); 20-minute escalation to secondary, ack at 25",
        changes=[
            "Alert: clickhouse disk free < 30% per shard pages #data-oncall",
            "PR: max_bytes_to_merge_at_max_space_in_pool set to 400 GB",
            "Runbook: weekly check for detached parts; script in data-tools",
        ],
    ),
    dict(
        slug="node-subnet-ip-exhaustion-pods-pending",
        date="2026-09-09", start="13:40", sev="SEV3", team="platform",
        services=["eks-prod", "cluster-autoscaler", "checkout"], authors=["hana", "kwame"],
        title="Pods stuck Pending during a traffic spike because the node subnets ran out of IPs",
        rc="resource-exhaustion", dg="alert-routed-to-wrong-channel", rl="investigate-before-rollback",
        det=21, ack=4, mit=46, clear=14,
        users=8200,
        impact="""Checkout and search couldn't scale out during a flash sale: p95 latency 3.1s for {min} minutes and about 8,200
users saw timeouts.""",
        trig=("Flash sale traffic; HPA requests 60 more pods across checkout and search", "hpa"),
        page=("'pods pending > 10 min' alert posts in #k8s-capacity (archived channel); noticed by Kwame", "kwame"),
        mid=[("Autoscaler logs: nodes launched but pods fail with 'failed to assign an IP address to container'", None),
             ("Checked CNI config, IPAMD logs, ENI limits per instance type", None),
             ("Subnets in 2 of 3 AZs show 0 available IPs (warm pool of 40 IPs per node)", None)],
        fix=("Reduced WARM_IP_TARGET to 5 and restarted aws-node; pods schedule", None),
        done="All-clear: 0 pending pods",
        broke="""The VPC CNI kept a warm pool of 40 IPs per node. With ~60 nodes in /22 subnets, the warm pools consumed almost
every address, so new nodes launched but couldn't give pods IPs. Pods stayed Pending while the autoscaler kept
adding nodes that made it worse.""",
        why="""Subnets were sized in 2022 for a third of today's node count and the CNI warm-pool default reserved IPs that
no pod used.""",
        lag_det="pending-pods alert still pointed at #k8s-capacity, archived in the Slack clean-up last quarter",
        lag_resp="on-call read CNI and IPAMD internals for 40 minutes; the runbook's 'reduce warm IP target' step was there but wasn't tried first",
        changes=[
            "PR: WARM_IP_TARGET=5, MINIMUM_IP_TARGET=10 on all node groups",
            "PR: add secondary CIDR 100.64.0.0/16 for pod networking",
            "Alert: subnet available IPs < 15% pages #platform-oncall",
        ],
    ),
]
