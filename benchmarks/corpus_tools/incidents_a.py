# Hand-written incident specs: certificate expiry, bad config pushes, schema unit ambiguity.
# Keys: see build_corpus.build(). Minutes: det = start->page, ack = page->ack,
# mit = page->mitigation, clear = mitigation->all-clear.

INCIDENTS = [
    # ------------------------------------------------------------------ certificate-expiry
    dict(
        slug="public-api-tls-cert-lapsed-at-midnight",
        date="2025-10-09",
        start="23:59",
        sev="SEV1",
        team="edge",
        services=["api-gateway", "public-api"],
        authors=["sven", "noor"],
        title="Public API rejected all HTTPS clients after its certificate lapsed",
        rc="certificate-expiry",
        dg="no-synthetic-check",
        rl="pager-not-acked",
        det=8,
        ack=17,
        mit=31,
        clear=12,
        esc_after=10,
        acker="noor",
        users=41200,
        money="18,940.00 USD",
        impact="""Every client calling api.example.com over HTTPS failed for {min} minutes, which in practice was all of
them: 41,200 distinct API keys saw handshake errors. Partners with automatic retries caught up by 01:30 UTC; we
credited 18,940.00 USD of SLA credits to the 37 enterprise accounts whose contracts include a 99.95% clause.""",
        trig=(
            "x509 certificate for api.example.com reaches notAfter; load balancer keeps serving it",
            "—",
        ),
        pre=[],
        page=(
            "External partner (Lumio) emails support: 'certificate has expired' from every region; support pages edge on-call",
            "support (Grace)",
        ),
        mid=[
            (
                "Confirmed with openssl s_client: notAfter=Oct  9 23:59:59 2025 GMT on all 6 listeners",
                None,
            ),
            (
                "Renewal request opened with the CA; DigiCert order approved via the account portal",
                None,
            ),
        ],
        fix=("New certificate uploaded to the load balancer listeners; handshakes succeed", "noor"),
        done="All-clear: handshake error rate 0 for 10 minutes across all regions",
        broke="""The certificate on the api.example.com listeners lapsed at 23:59:59 UTC on 9 October. Clients performing verification
(all SDKs, curl, every browser) refused the handshake, so requests never reached the gateway and our own 5xx
metrics stayed flat — the gateway saw a drop in traffic to 3% of normal rather than errors.

This certificate was bought manually in October 2024 with a one-year validity and uploaded by hand; it was not in
cert-manager and nobody had a calendar entry for it.""",
        why="""The api.example.com certificate was the last manually-managed certificate on the edge and its renewal
depended on a reminder email that went to a former employee's mailbox. Nothing probed the certificate from outside.""",
        lag_det="nothing checked the served certificate's expiry from outside; we learned from a partner's email and our own error metrics never moved because failed handshakes don't reach the gateway",
        lag_esc="primary's phone was on do-not-disturb overnight and the page sat unacknowledged until the 10-minute escalation reached the secondary",
        esc_min=17,
        changes=[
            "PR: move api.example.com to cert-manager with the ACME issuer and 30-day renewal window",
            'Alert: blackbox probe cert_expiry_days{host=~".*example.com"} < 21 pages #edge-oncall, < 7 pages SEV2',
            "Alert: gateway request rate < 40% of the same hour last week for 5 minutes, routes to #edge-oncall",
            "Runbook: add 'certificate expired' section to edge/tls.md with the upload command",
        ],
    ),
    dict(
        slug="partner-webhooks-expired-intermediate",
        date="2025-12-02",
        start="09:12",
        sev="SEV2",
        team="payments",
        services=["payments-gateway", "webhook-ingest"],
        authors=["marcus", "ines"],
        title="Acquirer callbacks failed TLS verification after an intermediate CA expired",
        rc="certificate-expiry",
        dg="alert-routed-to-wrong-channel",
        rl="investigate-before-rollback",
        det=26,
        ack=3,
        mit=29,
        clear=15,
        users=2214,
        money="0.00 USD",
        impact="""2,214 card payments sat in 'pending' for up to {min} minutes because settlement callbacks from our acquirer
were rejected. No money was lost; merchants saw late order confirmations and support got 96 tickets.""",
        trig=(
            "Intermediate 'Northwind TLS RSA CA G2' in our outbound trust bundle passes its notAfter",
            "—",
        ),
        page=(
            "'webhook-ingest 4xx > 5%' alert fires — in #payments-alerts-legacy, nobody watching; reposted to on-call by Ines",
            "ines",
        ),
        mid=[
            (
                "Reading webhook-ingest logs; suspecting yesterday's deploy of webhook-ingest 3.18",
                None,
            ),
            (
                "Diffed 3.18 vs 3.17 — no TLS change; noticed 'unable to get local issuer certificate' in the client logs",
                None,
            ),
            (
                "Compared chain: acquirer now sends the new G3 intermediate, our pinned bundle only has G2 (expired today)",
                None,
            ),
        ],
        fix=(
            "Deployed trust bundle with G3 intermediate to webhook-ingest; callbacks verify",
            None,
        ),
        post=[("Acquirer re-sent 2,214 queued callbacks on request", "ines")],
        done="All-clear: pending-payment backlog back to baseline (< 20)",
        broke="""webhook-ingest verifies the acquirer's mutual-TLS chain against a pinned CA bundle we ship with the
service. The G2 intermediate in that bundle expired at 09:12 UTC; the acquirer had already switched to a G3
intermediate, which we never added. Every callback failed chain verification (HTTP 495 from our side), and the
acquirer queued them.

Callback failure rate went from 0.1% to 100% within a minute. Payments stayed in 'pending' because settlement is
driven by those callbacks.""",
        why="""Our pinned trust bundle was last refreshed 26 months ago and contained an intermediate with a fixed expiry;
no job refreshes it from the acquirer's published chain and no check warns before a pinned CA expires.""",
        lag_det="the 4xx alert was still routed to #payments-alerts-legacy, a channel archived for on-call purposes in the September rotation change",
        lag_resp="on-call spent the first 25 minutes diffing yesterday's deploy instead of checking the chain the handshake error pointed at; the team has no 'TLS failure' first step in the runbook",
        changes=[
            "PR: nightly job refreshes the acquirer CA bundle from their published chain and fails the build 30 days before any pinned cert expires",
            "Alert: webhook-ingest 4xx rate > 5% for 3 minutes routes to PagerDuty service payments-primary (not Slack)",
            "Runbook: payments/webhooks.md gets a 'handshake/chain errors' branch with the openssl verify command",
        ],
    ),
    dict(
        slug="login-cert-renewal-blocked-by-waf",
        date="2026-01-17",
        start="06:40",
        sev="SEV2",
        team="identity",
        services=["auth-web", "cert-manager", "waf"],
        authors=["keiko", "oskar"],
        title="auth.example.com served an expired certificate for 48 minutes",
        rc="certificate-expiry",
        dg="no-synthetic-check",
        rl="stale-runbook",
        det=24,
        ack=2,
        mit=24,
        clear=8,
        users=12840,
        impact="""Roughly 12,840 people tried to sign in during the window and got a browser certificate warning; about a third
clicked through on older Android webviews (which we are following up separately). Sign-ups dropped to near zero for
{min} minutes.""",
        trig=(
            "auth.example.com certificate notAfter passes; cert-manager has been failing to renew for 29 days",
            "—",
        ),
        page=(
            "Synthetic login check (EU) fails 3/3 — first run since the check was re-enabled yesterday",
            "Checkly",
        ),
        mid=[
            ("Scope: only auth.example.com; api and www certs fine", None),
            (
                "Ran runbook step `kubectl cert-manager renew auth-tls -n auth` — error: unknown command (plugin not installed on bastion since rebuild)",
                None,
            ),
            (
                "Found in #platform history that renewal now goes through `cmctl renew`; installed cmctl",
                None,
            ),
            ("`cmctl renew` → Order fails: HTTP-01 challenge returns 403 from WAF", None),
            ("Added WAF bypass for /.well-known/acme-challenge/*", "oskar"),
        ],
        fix=("Certificate issued and picked up by ingress; browsers happy", None),
        done="All-clear after synthetic login passes from 3 regions",
        broke="""cert-manager tried to renew the certificate 30 days before expiry, as designed, and failed every hour since
then: the ACME HTTP-01 challenge path was blocked by a WAF rule added on 2025-12-18 that rejects requests without a
User-Agent header. The Certificate resource showed Ready=False the whole time.

At 06:40 UTC the old certificate's notAfter passed and ingress kept serving it.""",
        why="""A WAF rule broke ACME HTTP-01 validation and cert-manager's failed renewals raised nothing anyone looks at;
the renewal silently failed for 29 days until the certificate expired.""",
        lag_det="no check alerted on Certificate Ready=False or on days-to-expiry; the synthetic login check that caught it had been disabled for 'flakiness' for two weeks",
        lag_resp="runbook still said `kubectl cert-manager renew`; the bastion rebuild in December dropped the kubectl plugin, so the first command failed and the on-call had to find the cmctl equivalent in Slack",
        changes=[
            'Alert: certmanager_certificate_ready_status{condition="False"} for 1h pages #identity-oncall',
            "Alert: certmanager_certificate_expiration_timestamp_seconds - time() < 14d pages #identity-oncall",
            "PR: WAF exemption for /.well-known/acme-challenge/* committed to waf-rules repo",
            "Runbook: identity/tls.md renewal step rewritten for cmctl; cmctl added to bastion image",
        ],
    ),
    dict(
        slug="ledger-mesh-client-cert-expired",
        date="2026-03-05",
        start="13:55",
        sev="SEV2",
        team="payments",
        services=["ledger", "bank-connector", "istio"],
        authors=["ines", "ravi", "ana"],
        title="Ledger could not reach the bank connector after the mesh client certificate expired",
        rc="certificate-expiry",
        dg="dashboards-only-no-page",
        rl="waiting-for-approval",
        det=47,
        ack=4,
        mit=58,
        clear=10,
        users=640,
        money="1,212,400.00 USD (delayed, not lost)",
        impact="""640 outgoing transfers totalling 1,212,400.00 USD were held for up to {min} minutes. Nothing was lost and
every transfer settled the same day, but 14 business customers missed their bank's same-day cut-off and we paid
their late fees (in the follow-up ticket, not counted above).""",
        trig=("Workload certificate for ledger→bank-connector (internal CA, 90-day) expires", "—"),
        page=(
            "Treasury ops asks in #payments why the outgoing transfer queue has been flat for 45 minutes",
            "treasury (Lea)",
        ),
        mid=[
            (
                "Grafana 'bank-connector upstream' panel shows 100% 'CERTIFICATE_VERIFY_FAILED' since 13:55",
                None,
            ),
            ("New CSR generated; signing requires a PKI team approver (HSM-backed CA)", None),
            (
                "Waiting on PKI approver; primary PKI approver in a flight, second approver reached by phone",
                "ravi",
            ),
            ("CSR approved and signed", "PKI (Hugo)"),
        ],
        fix=("Secret updated with the new cert; sidecars reloaded; transfers flow", None),
        done="All-clear: outgoing queue drained, 640 transfers submitted",
        broke="""The bank connector sits outside the mesh's automatic rotation because it terminates TLS with a certificate
from our HSM-backed internal CA, not the mesh CA. The ledger's client certificate for that hop was issued on
2025-12-05 with a 90-day lifetime. When it expired, every mutual-TLS handshake failed and the ledger's retry loop
held transfers in its outbox.

The failure was visible within a minute on a dashboard but the ledger's error counter is not wired to any alert.""",
        why="""A 90-day client certificate on a hop excluded from automatic rotation had no renewal automation and no expiry
warning; renewing needs a human approver from a different team.""",
        lag_det="handshake failures were on the bank-connector Grafana board only — no alert, so the first signal was a human noticing a flat queue",
        lag_resp="signing a new certificate requires a PKI approver; one of two approvers was unreachable, and there was no documented break-glass path",
        changes=[
            "PR: move the ledger→bank-connector client cert to a 30-day cert issued by Vault PKI with automatic renewal at 2/3 lifetime",
            "Alert: ledger outbox age > 10 minutes pages payments-primary",
            "Runbook: PKI break-glass approval path (third approver on-call rota) documented in security/pki.md",
        ],
    ),
    dict(
        slug="static-cdn-manual-cert-expiry",
        date="2026-05-21",
        start="00:00",
        sev="SEV2",
        team="edge",
        services=["cdn", "web-frontend"],
        authors=["lin", "theo"],
        title="static.example.com broke every page after the CDN's custom certificate ran out",
        rc="certificate-expiry",
        dg="missing-alert-on-metric",
        rl="scope-check-skipped",
        det=11,
        ack=1,
        mit=34,
        clear=6,
        users=96500,
        impact="""Pages loaded without CSS or JavaScript for about 96,500 visitors over {min} minutes; checkout was unusable on
web (mobile apps were unaffected). Estimated lost orders: 410, based on the same window last week.""",
        trig=(
            "Custom TLS certificate on the CDN service for static.example.com expires (uploaded manually, May 2025)",
            "—",
        ),
        page=("Real-user monitoring: JS error rate > 20% pages web on-call", "PagerDuty"),
        mid=[
            (
                "Rolled back web-frontend to the previous release (assumed last night's deploy)",
                None,
            ),
            ("Rollback complete; errors unchanged", None),
            (
                "Checked the failing requests: all to static.example.com, all TLS errors — not the app at all",
                None,
            ),
            ("Uploaded renewed certificate via CDN API", "theo"),
        ],
        fix=("CDN edge serving new certificate in all POPs", "theo"),
        post=[("Rolled web-frontend forward again to last night's release", "lin")],
        done="All-clear: RUM JS error rate < 0.5%",
        broke="""Our CDN serves static.example.com with a certificate we upload ourselves; the CDN's managed certificates
weren't available for that hostname when we set it up. The exporter we run against the CDN API already publishes
`cdn_custom_cert_expiry_seconds`, and it had been dropping toward zero for weeks on a panel that nobody has open.

From 00:00 UTC browsers refused every asset from static.example.com, so pages rendered unstyled and no script ran.""",
        why="""The static asset certificate was manually uploaded with a fixed one-year life; the expiry metric existed but
had no alert rule.""",
        lag_det="`cdn_custom_cert_expiry_seconds` was exported and graphed but had no alert rule on it",
        lag_resp="on-call rolled back the frontend release before confirming which requests were failing; 22 minutes went into a rollback that could not help",
        changes=[
            "Alert: cdn_custom_cert_expiry_seconds < 21 days pages #edge-oncall",
            "PR: switch static.example.com to CDN-managed certificate (CNAME validation)",
            "Runbook: web-frontend rollback step now starts with 'check failing request host and error class'",
        ],
    ),
    dict(
        slug="kafka-keystore-renewal-cron-failed",
        date="2026-07-01",
        start="02:10",
        sev="SEV2",
        team="data",
        services=["kafka", "events-pipeline", "orders-api"],
        authors=["tomasz", "elif"],
        title="Kafka brokers dropped out of the cluster when their keystore certificates expired",
        rc="certificate-expiry",
        dg="alert-threshold-too-high",
        rl="stale-runbook",
        det=38,
        ack=3,
        mit=27,
        clear=20,
        users=0,
        impact="""No customer-facing errors: orders-api buffers events locally. Downstream, analytics and the fraud model's
features were stale for {min} minutes and the fraud model fell back to rules for 5,930 payments.""",
        trig=("Broker certificates in the JKS keystores on kafka-1..6 pass notAfter", "—"),
        pre=[(9, "Inter-broker replication fails; under-replicated partitions climb to 412", "—")],
        page=("Producer error-rate alert crosses 25% over 30 min and pages", "PagerDuty"),
        mid=[
            (
                "Confirmed: 'PKIX path validation failed: validity check failed' in broker logs",
                None,
            ),
            (
                "Runbook: `ansible-playbook kafka-certs.yml --tags renew` — fails, playbook moved to the infra-ops repo in May and the old copy points at the retired CA",
                None,
            ),
            ("Found the new playbook location in infra-ops, rerun with `-l kafka`", None),
        ],
        fix=("Keystores regenerated and brokers rolled; ISR recovering", None),
        done="All-clear: under-replicated partitions 0, producer errors 0",
        broke="""Each broker's keystore holds a certificate valid for one year, renewed by a cron job on the ops host. That
cron job had been failing since March, when the ops host was rebuilt without the CA credentials; cron mailed the
error to root@ops, which nobody reads. When the certificates expired at 02:10 UTC inter-broker TLS broke, partitions
went under-replicated and producers with acks=all started failing.""",
        why="""The certificate renewal cron silently failed for four months, so the brokers' certificates reached their notAfter
date; cron failures only generated local mail.""",
        lag_det="the producer error alert needs 25% errors sustained for 30 minutes; it was tuned for a noisy client library we retired last year",
        lag_resp="the runbook's renew command pointed at a playbook copy that had moved repos and used the retired CA; the first attempt failed",
        changes=[
            "PR: cert renewal runs as a Kubernetes CronJob with failure alerting instead of ops-host cron",
            "Alert: kafka_server_ssl_cert_expiry_days < 30 pages #data-oncall",
            "Alert: producer error rate > 2% for 5 minutes (was 25% for 30)",
            "Runbook: data/kafka.md renew step points at infra-ops/playbooks/kafka-certs.yml",
        ],
    ),
    dict(
        slug="docs-agent-fetch-tool-cert-expired",
        date="2026-09-14",
        start="15:20",
        sev="SEV4",
        team="ml-platform",
        services=["docs-assistant", "fetch-tool", "docs-internal"],
        authors=["mei", "jonah"],
        title="Docs assistant answered from memory for two hours because its fetch tool hit an expired cert",
        rc="certificate-expiry",
        dg="dashboards-only-no-page",
        rl="one-off",
        det=112,
        ack=6,
        mit=14,
        clear=10,
        users=1830,
        impact="""1,830 internal users asked the docs assistant questions during the window. Sampling 200 of the answers, 71
cited a page that doesn't exist or gave outdated config values (mostly the old VPN setup). No customer impact.""",
        trig=(
            "TLS certificate on docs.internal expires; fetch_page tool starts returning 'SSL error' to the agent",
            "—",
        ),
        page=(
            "Engineer posts in #help-docs-assistant: 'it just told me to use the 2023 VPN profile'",
            "Farid",
        ),
        mid=[
            (
                "Agent traces show fetch_page failing 100% since 15:20; model answers without the tool result",
                None,
            ),
            ("On-call was already running the Q3 failover drill; handed over to Jonah", None),
        ],
        fix=(
            "docs.internal certificate re-issued from internal CA; fetch_page succeeding",
            "jonah",
        ),
        trace="Captured failing trace 9f21c7 (fetch_page SSL error, then confident answer)",
        done="All-clear, fetch tool success rate 99.8%",
        broke="""docs.internal's certificate expired. The fetch_page tool returned the error string "SSL: CERTIFICATE_VERIFY_FAILED"
to the agent as a normal tool result, and the model, instead of saying it couldn't read the page, answered from
its training data. Tool error rate was 100% on the agent dashboard for 112 minutes.""",
        why="""Deterministic: the docs.internal certificate had no renewal automation. Stochastic: tool errors are passed to the
model as plain text and the prompt does not tell it to stop when a fetch fails, so it improvised answers.""",
        lag_det="tool error rate was only on the agent Grafana board; nothing pages on a tool failing 100% of calls",
        lag_resp="the on-call was mid-way through the scheduled failover drill and needed to hand over before acting",
        changes=[
            "PR: fetch_page returns a structured error and the agent loop refuses to answer without a successful fetch",
            "Eval: 5 cases where fetch_page errors; expected behaviour is 'I couldn't read the docs' (run over 20 seeds)",
            "Alert: agent tool error rate > 20% for 10 minutes per tool pages #ml-oncall",
            "PR: docs.internal moved to cert-manager internal issuer",
        ],
    ),
    # ------------------------------------------------------------------ config-push-bad-value
    dict(
        slug="public-api-rate-limit-per-second-pushed-per-minute",
        date="2025-10-21",
        start="16:05",
        sev="SEV2",
        team="platform",
        services=["rate-limiter", "public-api", "flagd"],
        authors=["devin", "hana"],
        title="Public API throttled paying customers to 10 requests a minute",
        rc="config-push-bad-value",
        dg="alert-threshold-too-high",
        rl="investigate-before-rollback",
        det=21,
        ack=2,
        mit=23,
        clear=7,
        users=3120,
        impact="""3,120 API customers received HTTP 429 on most calls for {min} minutes; 212 of them opened tickets. Two
integration partners paused their sync jobs and needed a manual restart by their own teams.""",
        trig=(
            "flagd change 'ratelimit.default_per_window=10' rolls out to all rate-limiter pods",
            "flagd",
        ),
        page=("'429 ratio > 50% for 15 minutes' alert pages platform on-call", "PagerDuty"),
        mid=[
            ("Looking at rate-limiter logs; many keys at limit, suspect one tenant flooding", None),
            ("Checked top tenants by request volume — nothing unusual", None),
            (
                "Compared effective config: default limit 10 with window=60s; previous value was 1000 per 1s window",
                None,
            ),
        ],
        fix=("Reverted flag change in flagd; limits back to 1000/s", None),
        done="All-clear: 429 ratio 0.3%",
        broke="""A flag change intended for the new sandbox tier set `ratelimit.default_per_window` to 10 at the global
scope instead of the sandbox scope. The same change also flipped the window from 1s to 60s. Effective limit: 10
requests per minute per key, down from 1,000 per second.

429 responses went from 0.2% to 88% of traffic within 90 seconds.""",
        why="""The flag UI allows edits at global scope with no diff preview of affected tenants, and the limit is stored as a
bare integer whose meaning depends on a separate window field.""",
        lag_det="the 429 alert needs 50% sustained for 15 minutes — it was set after a noisy week in 2024 and never revisited",
        lag_resp="on-call hunted for an abusive tenant for 20 minutes before looking at recent flag changes",
        changes=[
            "PR: flagd rejects global-scope edits to ratelimit.* without a second reviewer",
            "Alert: 429 ratio > 10% for 3 minutes pages #platform-oncall",
            "Runbook: 'throttling spike' starts with `flagctl history --since 1h`",
        ],
    ),
    dict(
        slug="envoy-timeout-50ms-checkout",
        date="2025-11-18",
        start="10:31",
        sev="SEV1",
        team="payments",
        services=["envoy", "checkout", "config-repo"],
        authors=["ana", "marcus"],
        title="Checkout failed for 1 in 3 customers after a mesh-wide timeout change",
        rc="config-push-bad-value",
        dg="missing-alert-on-metric",
        rl="stale-runbook",
        det=8,
        ack=1,
        mit=19,
        clear=9,
        users=18450,
        money="241,300.00 USD (estimated lost GMV)",
        impact="""About 18,450 checkouts failed over {min} minutes (31% of attempts). Based on conversion in the same window last
week we estimate 241,300.00 USD of lost GMV; some of it came back as retries.""",
        trig=(
            "Global route config pushed with upstream timeout 50ms (intended 500ms)",
            "config-bot",
        ),
        page=("Checkout success-rate SLO burn alert pages", "PagerDuty"),
        mid=[
            (
                "Scope: all checkout pods, every region; only calls to tax-svc and fraud-svc timing out",
                None,
            ),
            (
                "Runbook: `meshctl config rollback --to previous` — fails: 'no such revision'; the config repo migrated to GitOps in October",
                None,
            ),
            ("Reverted the commit in config-repo and forced Argo sync", "marcus"),
        ],
        fix=("Envoy routes back to 500ms; checkout success 99%", None),
        done="All-clear after 5 minutes at normal success rate",
        broke="""A global route-config PR changed the default upstream timeout from "500ms" to "50ms" — a dropped zero during a
reformat of the YAML. Calls from checkout to tax-svc (p50 90ms) and fraud-svc (p50 140ms) started timing out.
Envoy returned 504 and checkout surfaced "Something went wrong" to the customer.

The p99 upstream timeout counter jumped from ~20/min to 6,100/min, but nothing alerts on it.""",
        why="""A one-character typo in a global timeout value merged because mesh config has no schema bounds and no canary;
it reached every route at once.""",
        lag_det="envoy upstream_rq_timeout counter has no alert; the checkout SLO burn alert took 8 minutes to accumulate",
        lag_resp="the runbook's meshctl rollback command predates the move to GitOps and no longer works",
        changes=[
            "PR: config-repo CI rejects route timeouts < 200ms without a `timeout-override` label",
            "PR: mesh config rolls out to the canary cell first with a 10-minute bake",
            "Alert: envoy_cluster_upstream_rq_timeout rate > 5x baseline for 3 minutes pages payments-primary",
            "Runbook: replace meshctl rollback with `git revert` + `argocd app sync mesh-config`",
        ],
    ),
    dict(
        slug="support-agent-max-tokens-64-truncation",
        date="2026-01-08",
        start="08:15",
        sev="SEV3",
        team="ml-platform",
        services=["llm-gateway", "support-agent"],
        authors=["jonah", "priya"],
        title="Support agent replies cut off mid-sentence after gateway token limit set to 64",
        rc="config-push-bad-value",
        dg="no-eval-case",
        rl="scope-check-skipped",
        det=34,
        ack=3,
        mit=41,
        clear=12,
        users=2960,
        impact="""2,960 customer conversations got truncated answers ("To reset your password, go to Settings and"). CSAT for the
window dropped from 4.4 to 2.9; 340 conversations were escalated to human agents.""",
        trig=(
            "llm-gateway route config for support-agent deployed with max_tokens: 64",
            "deploy-bot",
        ),
        page=("Human-handoff rate alert (> 25%) pages ml on-call", "PagerDuty"),
        mid=[
            ("Rolled support-agent back from bundle v31 to v30 (prompt + model)", None),
            ("Handoff rate unchanged after rollback", None),
            (
                "Read three traces: every completion ends with finish_reason=length at exactly 64 tokens",
                None,
            ),
            ("Found gateway route diff from this morning", "priya"),
        ],
        fix=("Gateway route reverted to max_tokens: 1024", "priya"),
        trace="Captured trace a81e0d (finish_reason=length)",
        done="All-clear: finish_reason=length < 1% of completions",
        broke="""A gateway change intended to cap a cheap classification route at 64 output tokens was applied to the
support-agent route too, because both share a YAML anchor. 94% of support answers stopped at 64 tokens.""",
        why="""A shared YAML anchor propagated a classifier's max_tokens to the support route. The eval suite runs against a
staging gateway config, so it never sees production route settings.""",
        lag_det="the eval suite runs against the staging gateway config, so no eval case ever exercised the production max_tokens value",
        lag_resp="on-call rolled back the agent bundle fleet-wide without checking whether the regression was in the bundle; over half an hour lost",
        changes=[
            "PR: remove shared YAML anchors from gateway routes; each route declares its own limits",
            "Eval: nightly smoke eval against the production gateway with 30 long-answer cases; fail if any finish_reason=length",
            "Alert: finish_reason=length > 10% per route for 5 minutes pages #ml-oncall",
        ],
    ),
    dict(
        slug="search-hpa-max-replicas-typo",
        date="2026-02-11",
        start="18:02",
        sev="SEV3",
        team="platform",
        services=["search-api", "helm-values"],
        authors=["hana", "kwame"],
        title="Search latency spiked during evening peak with HPA capped at 2 pods",
        rc="config-push-bad-value",
        dg="dashboards-only-no-page",
        rl="waiting-for-approval",
        det=44,
        ack=5,
        mit=38,
        clear=15,
        users=54000,
        impact="""Search p95 latency went from 180ms to 4.2s for about 54,000 users during the evening peak, and 7% of searches
timed out. Revenue impact is hard to separate from the general Tuesday dip; we're not quoting a number.""",
        trig=(
            "Helm values change sets search-api maxReplicas: 2 (was 20) as part of a label cleanup",
            "deploy-bot",
        ),
        pre=[(15, "Traffic ramps for evening peak; 2 pods at 100% CPU", "—")],
        page=("Product manager notices slow search and asks in #platform", "Camille"),
        mid=[
            ("Confirmed HPA pinned at maxReplicas=2", None),
            (
                "Helm change needs CAB approval during the February change freeze; requested emergency approval",
                None,
            ),
            ("Emergency approval granted by duty manager", "duty manager (Ola)"),
        ],
        fix=("maxReplicas restored to 20; HPA scales to 14 pods", None),
        done="All-clear: p95 < 250ms",
        broke="""A cleanup PR that only meant to rename labels also changed `maxReplicas: 20` to `maxReplicas: 2` (reviewers saw a
200-line diff of label renames). The HPA could not scale past two pods at evening peak; CPU saturated and request
queues grew.

The search latency panel was red from 18:17, but latency on search-api is dashboard-only.""",
        why="""A value change hidden in a large mechanical diff reached production, and nothing bounds replica counts against
historical peak.""",
        lag_det="search latency and HPA saturation were on the platform dashboard only; no page until a human asked",
        lag_resp="the change freeze required CAB approval even for a revert, and the emergency approval path took almost 20 minutes to reach a duty manager",
        changes=[
            "PR: helm lint rule: maxReplicas must be >= observed 30-day peak replicas",
            "Alert: hpa at maxReplicas for 10 minutes with CPU > 85% pages #platform-oncall",
            "Runbook: change-freeze policy amended — reverts of the last 24h are pre-approved",
        ],
    ),
    dict(
        slug="fraud-threshold-declined-legit-cards",
        date="2026-03-24",
        start="12:40",
        sev="SEV1",
        team="payments",
        services=["fraud-rules", "card-auth"],
        authors=["ravi", "ines"],
        terse=True,
        title="31% of legitimate card payments declined after fraud threshold pushed as 0.08",
        rc="config-push-bad-value",
        dg="alert-routed-to-wrong-channel",
        rl="pager-not-acked",
        det=16,
        ack=14,
        mit=22,
        clear=8,
        esc_after=5,
        acker="ines",
        users=22870,
        money="1,940,000.00 USD (declined volume; ~30% recovered by customer retry)",
        impact="""22,870 card payments were declined by our fraud rules although the issuer would have approved them. Declined
volume was 1,940,000.00 USD over {min} minutes; roughly 30% was recovered by customers retrying with another card.""",
        trig=(
            "fraud-rules config v412 live: decline_score_threshold 0.08 (meant 0.80)",
            "rules-admin UI",
        ),
        page=(
            "Authorization-rate alert fires to #fraud-analysts (not payments on-call); analyst escalates via PagerDuty",
            "fraud analyst (Tess)",
        ),
        mid=[("Scope: all card payments, every merchant; decline reason 'risk_score'", "ines")],
        fix=("Reverted to config v411", "ines"),
        done="All-clear: auth rate back to 93.8%",
        broke="""The rules admin UI accepts thresholds as free text. v412 was meant to raise the decline threshold from 0.75
to 0.80 and was entered as "0.08". Every payment scoring above 0.08 — 31% of legitimate traffic — was declined
before reaching the issuer. Authorization rate dropped from 93.8% to 64%.""",
        why="""A free-text threshold field with no range validation or preview of projected decline rate let a typo go live
to 100% of traffic at once.""",
        lag_det="the authorization-rate alert routes to the fraud analysts' Slack channel, not to payments on-call",
        lag_esc="primary was on the train without signal; PagerDuty escalated after 5 minutes but the secondary's phone was also on silent, ack at 14 minutes",
        changes=[
            "PR: rules admin shows projected decline rate on last 24h traffic and blocks changes > 2x current",
            "PR: thresholds validated as 0.5 <= x <= 0.99",
            "Alert: card authorization rate < 88% for 3 minutes pages payments-primary",
            "Ticket: PagerDuty escalation policy for payments-primary gets a 3rd level (EM) at 10 minutes",
        ],
    ),
    dict(
        slug="cdn-ttl-zero-origin-overload",
        date="2026-04-15",
        start="14:48",
        sev="SEV2",
        team="edge",
        services=["cdn", "origin-web", "config-pipeline"],
        authors=["theo", "lin"],
        title="Origin overloaded after a CDN rule set max-age=0 on every asset",
        rc="config-push-bad-value",
        dg="missing-alert-on-metric",
        rl="investigate-before-rollback",
        det=13,
        ack=2,
        mit=26,
        clear=10,
        users=71000,
        impact="""About 71,000 visitors saw slow pages or 503s over {min} minutes; the 503 rate peaked at 18%. Mobile APIs were
not behind this CDN service and were fine.""",
        trig=(
            "CDN VCL change deployed: cache-control override `max-age=0` applied to all paths (meant /preview/*)",
            "cdn-deployer",
        ),
        page=("Origin 5xx alert pages edge on-call", "PagerDuty"),
        mid=[
            ("Scaling origin-web from 12 to 30 pods; still saturating", None),
            ("Checked origin DB — fine; checked recent web deploys — none", None),
            ("Noticed cache hit ratio 0.4% (normally 94%) on the CDN stats page", None),
            ("Found the VCL change from 14:48", None),
        ],
        fix=("Rolled back CDN service to version 188", None),
        done="All-clear: hit ratio 93%, origin 5xx < 0.1%",
        broke="""A VCL snippet meant to disable caching for preview pages matched `req.url ~ "/"`, i.e. everything. Cache hit
ratio fell from 94% to under 1%, origin request rate went up 16x, and origin-web ran out of workers.""",
        why="""An overly broad regex in a CDN rule disabled caching globally; CDN config changes go live to all POPs with no
staged rollout.""",
        lag_det="cache hit ratio isn't exported to our metrics at all; we only had origin 5xx, which lags behind the real change",
        lag_resp="on-call scaled origin and checked the database for 20 minutes before looking at the CDN change log",
        changes=[
            "PR: export CDN hit ratio to Prometheus via the CDN real-time stats API",
            "Alert: CDN hit ratio < 80% for 5 minutes pages #edge-oncall",
            "PR: VCL snippets require a test that lists the paths they match",
        ],
    ),
    dict(
        slug="idp-redirect-uri-list-overwritten",
        date="2026-06-09",
        start="07:30",
        sev="SEV2",
        team="identity",
        services=["idp", "mobile-app", "terraform-idp"],
        authors=["oskar", "keiko"],
        title="Mobile sign-in broken after Terraform replaced the OAuth redirect URI list",
        rc="config-push-bad-value",
        dg="no-synthetic-check",
        rl="waiting-for-approval",
        det=52,
        ack=4,
        mit=47,
        clear=11,
        users=26300,
        impact="""Nobody could sign in on iOS or Android for {min} minutes; about 26,300 sign-in attempts failed. Users already
signed in were unaffected. App-store reviews mentioning login: 41 in the next day.""",
        trig=(
            "terraform apply on idp-clients: redirect_uris for client 'mobile' replaced with web URIs only",
            "ci-terraform",
        ),
        page=(
            "Support lead pages identity: 'app says invalid redirect_uri for everyone'",
            "support (Mo)",
        ),
        mid=[
            (
                "Reproduced on a test phone; IdP logs show redirect_uri_mismatch for com.example.app://callback",
                None,
            ),
            (
                "Fix is a Terraform change; the IdP workspace requires security approval for apply",
                None,
            ),
            ("Security approver approves apply", "security (Dagny)"),
        ],
        fix=("terraform apply restores mobile redirect URIs", None),
        done="All-clear: mobile sign-in success 98%",
        broke="""The Terraform provider for our IdP treats `redirect_uris` as a full list. A PR that added a new web callback
copied the web client's list into the module default, and the mobile client inherited the default. On apply, the
mobile app's custom-scheme redirect URI was removed and every mobile authorization request failed with
redirect_uri_mismatch.""",
        why="""A module default overwrote a per-client list attribute on apply; the plan showed the change but as one line among
37 clients.""",
        lag_det="no synthetic sign-in exists for the mobile OAuth flow; web synthetic stayed green",
        lag_resp="apply on the IdP workspace needs a security approver and the request sat in the queue for 20 minutes before someone noticed it was an incident",
        changes=[
            "PR: Terraform plan check fails if any client's redirect_uris shrinks",
            "PR: synthetic mobile OAuth flow (custom scheme) every 5 minutes from two regions",
            "Runbook: incident-tagged IdP applies go to the security on-call pager, not the approval queue",
        ],
    ),
    dict(
        slug="pgbouncer-pool-mode-statement",
        date="2026-08-03",
        start="11:20",
        sev="SEV2",
        team="data",
        services=["pgbouncer", "postgres", "reporting-api", "billing-api"],
        authors=["elif", "tomasz"],
        title="Prepared statements broke across services after pgbouncer switched to statement pooling",
        rc="config-push-bad-value",
        dg="alert-threshold-too-high",
        rl="scope-check-skipped",
        det=18,
        ack=2,
        mit=37,
        clear=9,
        users=4100,
        impact="""Reporting exports and billing invoice views failed for about 4,100 customers over {min} minutes. No data was
written incorrectly; failed exports were re-run automatically overnight.""",
        trig=(
            "Shared pgbouncer config pushed with pool_mode=statement (was transaction)",
            "config-bot",
        ),
        page=("'postgres client errors > 200/min for 15 min' alert pages", "PagerDuty"),
        mid=[
            ("Rolled back reporting-api deploy from this morning (errors there first)", None),
            (
                "Errors persist and billing-api also failing with 'prepared statement \"S_1\" does not exist'",
                None,
            ),
            (
                "Scope check: every service behind the shared pgbouncer; traced to config push at 11:20",
                None,
            ),
        ],
        fix=("pgbouncer config reverted to pool_mode=transaction and reloaded", None),
        post=[("Re-deployed this morning's reporting-api release", "tomasz")],
        done="All-clear: client errors at baseline",
        broke="""A config change for a new analytics pooler was applied to the shared pgbouncer template. In statement mode the
server connection is returned to the pool after every statement, so drivers that prepare a statement and then
execute it on the next round-trip got a different backend and failed with `prepared statement does not exist`.
About 40% of queries from JDBC-based services errored.""",
        why="""The pooler template is shared by all pgbouncer instances, and a value intended for one pool went to all of them
with no per-pool override.""",
        lag_det="client-error alert needs 200 errors/min for 15 minutes; the error rate was above baseline from the first minute",
        lag_resp="on-call rolled back reporting-api first because it was the loudest service, without checking whether other services were also failing",
        changes=[
            "PR: per-pool pgbouncer config; shared template no longer sets pool_mode",
            "Alert: postgres client errors > 3x 7-day baseline for 3 minutes pages #data-oncall",
            "Runbook: database-errors page starts with a 'which services?' query across all clients",
        ],
    ),
    dict(
        slug="triage-agent-temperature-1-4",
        date="2026-09-22",
        start="09:05",
        sev="SEV3",
        team="ml-platform",
        services=["triage-agent", "bundle-config"],
        authors=["priya", "mei"],
        title="Ticket triage agent routed a fifth of tickets to the wrong queue after a sampling change",
        rc="config-push-bad-value",
        dg="no-eval-case",
        rl="pager-not-acked",
        det=63,
        ack=12,
        mit=16,
        clear=20,
        esc_after=10,
        acker="mei",
        users=1270,
        impact="""1,270 support tickets landed in the wrong queue; median first-response time for those went from 2h to 9h. Two
enterprise customers' P1 tickets sat in the 'general feedback' queue for over an hour.""",
        trig=(
            "triage-agent bundle config v19 deploys with temperature 1.4 (typo for 0.4)",
            "deploy-bot",
        ),
        page=("Queue-balance alert: billing queue receiving 3x normal share", "PagerDuty"),
        mid=[("Sampled 20 traces: same ticket classified differently across retries", "mei")],
        fix=("Rolled back to bundle config v18 (temperature 0.2)", "mei"),
        trace="Captured traces 3b7d91, 3b7e02 (same input, different queues)",
        done="All-clear: misroute rate (human corrections) back to 2%",
        broke="""Bundle config v19 was meant to raise temperature from 0.2 to 0.4 for the reply-drafting step. It was written as
1.4 and applied to the classification step too. At 1.4 the classifier's answer for ambiguous tickets became close
to random across the 9 queues; misroutes went from 2% to 21%.""",
        why="""Sampling parameters are plain numbers in the bundle config with no bounds check, and the config applies to every
step of the agent, not just the one being tuned.""",
        lag_det="the routing eval runs at temperature 0 by design, so it had no case that exercises the configured sampling values",
        lag_esc="primary was in a dentist's chair; page auto-escalated after 10 minutes and secondary acked at 12",
        changes=[
            "PR: bundle config schema bounds temperature to [0, 1] and scopes it per step",
            "Eval: routing eval also runs at the configured temperature over 10 seeds; fail if agreement < 95%",
            "Alert: queue share deviation > 2x for 15 minutes pages #ml-oncall (unchanged) — escalation timeout shortened to 5 minutes",
        ],
    ),
    # ------------------------------------------------------------------ schema-unit-ambiguity
    dict(
        slug="refund-agent-cents-read-as-dollars",
        date="2025-11-06",
        start="14:03",
        sev="SEV2",
        team="payments",
        services=["refund-agent", "payments-api", "orders-api"],
        authors=["ana", "ravi"],
        title="Refund agent issued eleven refunds at 100x the order value",
        rc="schema-unit-ambiguity",
        dg="no-eval-case",
        rl="investigate-before-rollback",
        det=4,
        ack=1,
        mit=14,
        clear=11,
        users=11,
        money="48,210.00 USD refunded in error (recovered 47,100.00)",
        impact="""Eleven customers received refunds roughly a hundred times what they paid — 48,210.00 USD in total instead of
482.10. We recovered 47,100.00 USD through card-network reversals; 1,110.00 USD was written off as goodwill.""",
        trig=(
            "Bundle v12 (new lookup_order tool backed by orders-api v2) reaches 100% of refund traffic",
            "deploy-bot",
        ),
        page=("refund_amount > $1000 alert pages", "PagerDuty"),
        mid=[
            (
                "Opened the first trace: refund for order A7731 is $4,599.00, order total $45.99",
                None,
            ),
            ("Reading the tool output and the orders-api v2 changelog", None),
            (
                "Confirmed orders-api v2 returns amount in minor units (4599) with no unit field",
                None,
            ),
        ],
        fix=(
            "Rolled back to bundle v11; refund tool disabled for amounts > $500 pending review",
            None,
        ),
        trace="Captured failing trace 77a0f2 for the eval set",
        done="All-clear, refunds normal, 11 affected refunds flagged for reversal",
        broke="""lookup_order in bundle v12 reads from orders-api v2, which returns `amount: 4599` meaning 4,599 cents. The v1
endpoint returned `amount: "45.99"`. The agent passed the integer straight into issue_refund's `amount_usd`
argument. Eleven refunds went out between 14:03 and 14:21 before rollback.""",
        why="""Why 1: the agent refunded 4599 dollars. Why 2: the tool returned 4599 with no unit. Why 3: orders-api v2 switched
to minor units and our tool schema has no unit field. Why 4: no eval case checks refund amount against the order
total, so the change shipped green.""",
        lag_det="eval suite had no case comparing the refund amount to the order total in a different unit",
        lag_resp="on-call read traces and the orders-api changelog for 12 minutes before rolling back; the refund agent is on the 'rollback first' list but the notebook didn't say so",
        changes=[
            "PR: lookup_order returns {amount_minor, currency, exponent}; issue_refund takes minor units only",
            "PR: issue_refund rejects amount > order total",
            "Eval: 6 cents/dollars cases incl. zero-decimal currency, run over 20 seeds",
            "Runbook: refund-agent entry in on-call notebook: rollback before investigating",
        ],
    ),
    dict(
        slug="metering-milliseconds-billed-as-seconds",
        date="2026-01-27",
        start="01:00",
        sev="SEV2",
        team="data",
        services=["usage-metering", "invoicing"],
        authors=["tomasz", "lucia"],
        title="January invoices undercharged compute by 1000x after metering changed units",
        rc="schema-unit-ambiguity",
        dg="missing-alert-on-metric",
        rl="waiting-for-approval",
        det=405,
        ack=6,
        mit=70,
        clear=25,
        full=True,
        users=3388,
        money="612,880.00 USD under-invoiced (re-invoiced)",
        impact="""3,388 customers received draft invoices with compute charges 1000x too low, totalling 612,880.00 USD less
than they owed. Drafts were voided before payment collection; 212 customers had already seen the draft in the
dashboard and support sent an explanation.""",
        trig=(
            "Nightly invoice-draft run starts, consuming usage events from metering 4.0",
            "invoice-scheduler",
        ),
        page=(
            "Finance analyst flags in #billing-ops: compute revenue on drafts down 99.9% vs December",
            "finance (Yara)",
        ),
        mid=[
            (
                "Found metering 4.0 emits duration_ms where invoicing reads `duration` as seconds",
                None,
            ),
            ("Voiding drafts needs finance controller sign-off (SOX control); request sent", None),
            ("Controller approval received", "finance controller (Bram)"),
        ],
        fix=("Draft invoices voided and invoice run paused", None),
        post=[("Metering 4.1 adds `duration_unit`; invoicing rejects events without it", "lucia")],
        done="All-clear: corrected drafts regenerated and spot-checked",
        broke="""Usage-metering 4.0 changed the `duration` field from milliseconds to seconds "to match the docs" and kept the
field name. Invoicing still treats `duration` as milliseconds and divides by 1,000 before applying the per-second
price, so a 3,600-second job was billed as 3.6 seconds. Every compute line item on 3,388 drafts was low by a factor
of 1,000; storage and seats were unaffected.""",
        why="""A field changed unit without changing name, and the consumer had an old divide-by-1000 workaround. There is no
contract test between metering and invoicing, and no alert on invoice totals moving month-over-month.""",
        lag_det="draft invoice totals are not monitored; we rely on a finance analyst reading a report in the morning",
        lag_resp="voiding drafts is a SOX-controlled action that needs a controller's approval, which took about an hour at 7am",
        changes=[
            "PR: usage events carry `duration_unit` and invoicing rejects events without it",
            "PR: contract test between usage-metering and invoicing on a recorded fixture",
            "Alert: draft invoice total per product deviates > 40% from previous month pages #data-oncall before drafts publish",
        ],
    ),
    dict(
        slug="jpy-payouts-treated-as-two-decimal",
        date="2026-03-12",
        start="04:00",
        sev="SEV2",
        team="payments",
        services=["payouts", "fx-service"],
        authors=["ravi", "ana"],
        title="Japanese merchants paid out 1% of their balance",
        rc="schema-unit-ambiguity",
        dg="alert-threshold-too-high",
        rl="scope-check-skipped",
        det=185,
        ack=2,
        mit=44,
        clear=30,
        users=287,
        money="38,400,000 JPY underpaid (paid in a supplementary run)",
        impact="""287 merchants in Japan received payouts of 1/100th of their balance: 38,400,000 JPY underpaid in total. A
supplementary payout run the same afternoon paid the difference. Eleven merchants complained through account
managers before we had notified them.""",
        trig=(
            "Daily payout batch runs with the new multi-currency amount library",
            "payout-scheduler",
        ),
        page=("Payout reconciliation alert: unmatched balance > 5% of daily volume", "PagerDuty"),
        mid=[
            (
                "Paused ALL payout currencies (EUR, GBP, USD, JPY) and rolled back payouts service",
                None,
            ),
            ("EUR/GBP/USD batches already reconciled fine; only JPY mismatched", None),
            ("Resumed non-JPY currencies; confirmed JPY amounts divided by 100", None),
        ],
        fix=("JPY batch held; supplementary payout for the difference prepared", None),
        done="All-clear: supplementary JPY run submitted, reconciliation matches",
        broke="""The new money library stores amounts as integers of minor units and needs the currency's exponent. Payouts
called `Money(amount, "JPY")` with a value already in yen; the library assumed exponent 2 (its default when the
currency table lookup fails, which it did because the table was loaded lazily after first use). 1,000,000 JPY was
paid as 10,000 JPY.""",
        why="""Amounts carry no explicit exponent; the library silently defaults to 2 decimals, which is wrong for zero-decimal
currencies like JPY and KRW.""",
        lag_det="reconciliation alert only fires when the unmatched amount exceeds 5% of the whole day's volume across all currencies; JPY is ~3% of volume, so it fired hours late, at the next batch",
        lag_resp="on-call paused and rolled back every currency before checking which one was wrong, delaying the EUR/GBP/USD payouts by 40 minutes",
        changes=[
            "PR: Money() raises if the currency exponent is unknown instead of defaulting to 2",
            "PR: payouts test suite includes JPY, KRW, BHD (3 decimals) cases",
            "Alert: per-currency reconciliation mismatch > 0.5% pages payments-primary",
        ],
    ),
    dict(
        slug="sales-agent-quotes-prices-in-cents",
        date="2026-05-06",
        start="13:10",
        sev="SEV3",
        team="ml-platform",
        services=["sales-email-agent", "catalog-api"],
        authors=["jonah", "mei"],
        title="Sales assistant quoted $129,900 for a $1,299 plan in 212 emails",
        rc="schema-unit-ambiguity",
        dg="no-eval-case",
        rl="stale-runbook",
        det=57,
        ack=3,
        mit=18,
        clear=15,
        users=212,
        impact="""212 prospects received follow-up emails quoting prices 100x the list price ($129,900.00/yr for the $1,299.00
Team plan). No one was charged. Sales sent a correction to all 212; six opportunities were marked lost with
'pricing' as the reason in the following week.""",
        trig=(
            "catalog-api v3 goes live; get_price tool starts reading its `price` field",
            "catalog team deploy",
        ),
        page=(
            "Account executive forwards a prospect's reply: 'is this a typo?' to #sales-ai",
            "AE (Nadia)",
        ),
        mid=[
            ("Scope: every email that mentioned a price since 13:10", None),
            (
                "Runbook says `agentctl pause sales-email` — command removed in agentctl 2.0; returns 'unknown subcommand'",
                None,
            ),
            ("Paused via the bundle kill switch in the admin UI instead", None),
        ],
        fix=("Sales email agent paused; drafts held", None),
        post=[
            (
                "get_price patched to divide by 100 and state currency explicitly; agent resumed",
                "mei",
            )
        ],
        done="All-clear after 40 sampled drafts show correct prices",
        broke="""catalog-api v3 returns `price: 129900` (minor units) where v2 returned `price: "1299.00"`. Our get_price tool
passed the value through unchanged and the model formatted it as $129,900. In 212 of 640 emails sent during the
window a price was quoted.""",
        why="""Deterministic: the tool schema carried no unit or currency exponent for price. Stochastic: the prompt has no
guard to sanity-check quoted prices against the plan list in the system prompt, which would have caught a 100x
jump.""",
        lag_det="no eval case checks quoted prices against the published price list; the catalog upgrade wasn't even on our radar",
        lag_resp="runbook's pause command was removed in agentctl 2.0 and the failure sent the on-call looking for another way",
        changes=[
            "PR: get_price returns amount_minor + currency + exponent and formats server-side",
            "Eval: 8 price-quoting cases checked against the price list, 20 seeds",
            "Runbook: sales agent pause = admin UI kill switch or `agentctl bundle disable sales-email`",
        ],
    ),
    dict(
        slug="ad-budget-micros-vs-cents",
        date="2026-07-16",
        start="00:30",
        sev="SEV2",
        team="payments",
        services=["ads-pacing", "ads-billing"],
        authors=["ines", "lucia"],
        title="Advertisers overspent daily budgets after pacing read micros as cents",
        rc="schema-unit-ambiguity",
        dg="dashboards-only-no-page",
        rl="pager-not-acked",
        det=510,
        ack=21,
        mit=26,
        clear=30,
        esc_after=15,
        acker="lucia",
        full=True,
        users=1904,
        money="96,300.00 USD overspend (credited)",
        impact="""1,904 advertisers spent past their daily cap; overspend totalled 96,300.00 USD, all credited back. Largest
single overspend: 3,950.00 USD on a 500.00 USD daily budget.""",
        trig=("ads-pacing 7.2 deploys reading budget from the new campaigns service", "deploy-bot"),
        page=(
            "Advertiser success manager sees three complaints and pages ads on-call",
            "ASM (Rui)",
        ),
        mid=[
            (
                "Confirmed: campaigns service sends daily_budget_micros; pacing treats the value as cents",
                "lucia",
            )
        ],
        fix=("Pacing switched to hard-stop mode (budget cap from billing, not pacing)", "lucia"),
        done="All-clear: no campaign over 100% of budget for 30 minutes",
        broke="""The campaigns service exposes budgets in micros (1 USD = 1,000,000); the old service exposed cents. Pacing 7.2
read `daily_budget` from the new service into a field it treats as cents, so a 500 USD budget became 500,000 USD
of allowed pacing. The billing-side hard cap at 110% would normally stop this but was disabled last year for a
latency reason nobody remembered.""",
        why="""Two services use different minor units for money and the field name doesn't say which; the backstop hard cap had
been turned off.""",
        lag_det="budget utilisation > 100% was a red cell on the ads ops dashboard all morning; there is no alert on it",
        lag_esc="primary didn't wake for the page at 09:00; escalation to secondary is set to 15 minutes on the ads service",
        changes=[
            "PR: budgets exchanged as {amount_micros} only; field names end in _micros or _cents, linted in proto review",
            "PR: re-enable billing hard cap at 110% of daily budget",
            "Alert: campaigns over 105% of daily budget > 20 pages #ads-oncall",
            "Ticket: ads escalation timeout 15 → 5 minutes",
        ],
    ),
    dict(
        slug="shipping-quote-grams-as-kilograms",
        date="2026-08-27",
        start="10:00",
        sev="SEV3",
        team="platform",
        services=["shipping-quote", "carrier-adapter", "checkout"],
        authors=["kwame", "devin"],
        title="Shipping quotes 1000x too high for parcels after weight unit mix-up",
        rc="schema-unit-ambiguity",
        dg="missing-alert-on-metric",
        rl="investigate-before-rollback",
        det=36,
        ack=2,
        mit=28,
        clear=8,
        users=6400,
        impact="""About 6,400 shoppers saw shipping costs of several thousand dollars at checkout and abandoned; we estimate
480 lost orders. No one was charged the wrong amount because the carrier re-quotes at label time.""",
        trig=(
            "carrier-adapter 5.0 sends parcel weight in grams; shipping-quote still reads kilograms",
            "deploy-bot",
        ),
        page=("Checkout abandonment alert (shipping step) fires", "PagerDuty"),
        mid=[
            ("Pulled sample quotes: 2 kg parcel quoted as 2,000 kg freight", None),
            (
                "Checked carrier-adapter and shipping-quote diffs; carrier-adapter 5.0 changed `weight` to grams",
                None,
            ),
            ("Debated patching shipping-quote vs rolling back carrier-adapter", None),
        ],
        fix=("Rolled back carrier-adapter to 4.9", None),
        done="All-clear: median shipping quote $7.40",
        broke="""carrier-adapter 5.0 standardised on grams internally and started emitting `weight: 2000` for a 2 kg parcel.
shipping-quote multiplies `weight` by a per-kilogram rate, so every quote was 1000x too high. Median quote went
from $7.40 to $7,180.""",
        why="""The `weight` field has no unit and two services disagreed about it after a refactor; there's no alert on the
quote distribution.""",
        lag_det="we graph median shipping quote but don't alert on it; the abandonment alert is a lagging signal",
        lag_resp="on-call spent 25 minutes understanding the diff before rolling back a service that was safe to roll back",
        changes=[
            "PR: parcel weight field renamed weight_grams across carrier-adapter and shipping-quote",
            "Alert: median shipping quote > 3x 7-day median for 5 minutes pages #platform-oncall",
            "Runbook: checkout-step alerts — roll back the last deployed dependency first",
        ],
    ),
]
