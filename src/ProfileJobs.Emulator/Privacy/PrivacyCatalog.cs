using System;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace ProfileJobs.Emulator.Privacy;

/// <summary>Fixed vocabularies of the Privacy Service API (aep-api.md 1.3, DOC-PJ, DOC-PAPX).</summary>
internal static class PrivacyCatalog
{
    /// <summary>The pseudo-regulation under which hygiene-beta record deletes are listed (emulator choice).</summary>
    public const string HygieneRegulation = "hygiene";

    /// <summary>Products of a hygiene-beta record delete (no <c>include</c> is sent).</summary>
    public static readonly string[] HygieneProducts = { "profileService", "AdobeCloudPlatform", "Identity" };

    /// <summary>Standard identity namespaces and their ids (DOC-PAPX). Matched case-insensitively.</summary>
    public static readonly FrozenDictionary<string, int> StandardNamespaceIds = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["Email"] = 6,
        ["Phone"] = 7,
        ["ECID"] = 4,
        ["CORE"] = 0,
        ["AdCloud"] = 411,
        ["TNTID"] = 9,
        ["IDFA"] = 20915,
        ["GAID"] = 20914,
        ["WAID"] = 8,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Namespace qualifiers accepted as <c>type</c>; values are the canonical spelling echoed back.</summary>
    public static readonly FrozenDictionary<string, string> IdentityTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["standard"] = "standard",
        ["custom"] = "custom",
        ["integrationCode"] = "integrationCode",
        ["namespaceId"] = "namespaceId",
        ["unregistered"] = "unregistered",
        ["analytics"] = "analytics",
        ["target"] = "target",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public const string IdentityTypeList = "standard, custom, integrationCode, namespaceId, unregistered, analytics, target";

    /// <summary>
    /// Accepted <c>regulation</c> values: the union of the create and list enums of DOC-PJ and its newer translations
    /// (older short codes such as <c>cpra_usa</c> and newer state-coded ones such as <c>cpra_ca_usa</c>).
    /// </summary>
    public static readonly FrozenSet<string> Regulations = new[]
    {
        "apa_aus", "ccpa", "cpa_usa", "cpa_co_usa", "cpra_usa", "cpra_ca_usa", "ctdpa_usa", "ctdpa_ct_usa",
        "dpdpa", "dpdpa_usa", "dpdpa_de_usa", "dpdpa_ind", "fdbr_usa", "fdbr_fl_usa", "gdpr", "hipaa_usa",
        "icdpa_usa", "icdpa_ia_usa", "icdpa_in_usa", "kcdpa_ky_usa", "lgpd_bra", "mcdpa_usa", "mcdpa_mn_usa",
        "mcdpa_mt_usa", "mhmda_usa", "mhmda_wa_usa", "modpa_md_usa", "ndpa_usa", "ndpa_ne_usa", "nhpa_usa",
        "nhpa_nh_usa", "njdpa_usa", "njdpa_nj_usa", "nzpa_nzl", "ocpa_usa", "ocpa_or_usa", "pdpa_tha", "pipa_kor",
        "ql25", "ql25_can", "ql25_qc_can", "ridtppa_ri_usa", "tdpsa_usa", "tdpsa_tx_usa", "tipa_tn_usa",
        "ucpa_usa", "ucpa_ut_usa", "vcdpa_usa", "vcdpa_va_usa",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static int? NamespaceIdFor(string type, string ns) =>
        type == "standard" && StandardNamespaceIds.TryGetValue(ns, out int id) ? id : null;
}
