//! ISO 3166-1 country codes: the alpha-3 codes actors' `country` is written in, and the alpha-2
//! code each stands for, which STIX 2.1 `location` objects use.
//!
//! The table is the whole standard (249 officially assigned codes, as published by the ISO 3166
//! Maintenance Agency and mirrored by Debian's iso-codes), plus `XKX`/`XK` for Kosovo, which is
//! user-assigned but used by the EU, the IMF and most data sets, so a site covering the Balkans
//! can tag it.

/// The alpha-2 code of an ISO 3166-1 alpha-3 code (`RUS` -> `RU`); `None` for anything else.
pub fn alpha2(alpha3: &str) -> Option<&'static str> {
    COUNTRIES.binary_search_by(|(a3, _)| (*a3).cmp(alpha3)).ok().map(|i| COUNTRIES[i].1)
}

/// The alpha-3 code of an ISO 3166-1 alpha-2 code (`RU` -> `RUS`), for a hint when an author
/// wrote the two-letter code.
pub fn alpha3(alpha2: &str) -> Option<&'static str> {
    COUNTRIES.iter().find(|(_, a2)| *a2 == alpha2).map(|(a3, _)| *a3)
}

/// (alpha-3, alpha-2), sorted by alpha-3.
#[rustfmt::skip]
pub const COUNTRIES: [(&str, &str); 250] = [
    ("ABW", "AW"), ("AFG", "AF"), ("AGO", "AO"), ("AIA", "AI"), ("ALA", "AX"), ("ALB", "AL"), ("AND", "AD"), ("ARE", "AE"),
    ("ARG", "AR"), ("ARM", "AM"), ("ASM", "AS"), ("ATA", "AQ"), ("ATF", "TF"), ("ATG", "AG"), ("AUS", "AU"), ("AUT", "AT"),
    ("AZE", "AZ"), ("BDI", "BI"), ("BEL", "BE"), ("BEN", "BJ"), ("BES", "BQ"), ("BFA", "BF"), ("BGD", "BD"), ("BGR", "BG"),
    ("BHR", "BH"), ("BHS", "BS"), ("BIH", "BA"), ("BLM", "BL"), ("BLR", "BY"), ("BLZ", "BZ"), ("BMU", "BM"), ("BOL", "BO"),
    ("BRA", "BR"), ("BRB", "BB"), ("BRN", "BN"), ("BTN", "BT"), ("BVT", "BV"), ("BWA", "BW"), ("CAF", "CF"), ("CAN", "CA"),
    ("CCK", "CC"), ("CHE", "CH"), ("CHL", "CL"), ("CHN", "CN"), ("CIV", "CI"), ("CMR", "CM"), ("COD", "CD"), ("COG", "CG"),
    ("COK", "CK"), ("COL", "CO"), ("COM", "KM"), ("CPV", "CV"), ("CRI", "CR"), ("CUB", "CU"), ("CUW", "CW"), ("CXR", "CX"),
    ("CYM", "KY"), ("CYP", "CY"), ("CZE", "CZ"), ("DEU", "DE"), ("DJI", "DJ"), ("DMA", "DM"), ("DNK", "DK"), ("DOM", "DO"),
    ("DZA", "DZ"), ("ECU", "EC"), ("EGY", "EG"), ("ERI", "ER"), ("ESH", "EH"), ("ESP", "ES"), ("EST", "EE"), ("ETH", "ET"),
    ("FIN", "FI"), ("FJI", "FJ"), ("FLK", "FK"), ("FRA", "FR"), ("FRO", "FO"), ("FSM", "FM"), ("GAB", "GA"), ("GBR", "GB"),
    ("GEO", "GE"), ("GGY", "GG"), ("GHA", "GH"), ("GIB", "GI"), ("GIN", "GN"), ("GLP", "GP"), ("GMB", "GM"), ("GNB", "GW"),
    ("GNQ", "GQ"), ("GRC", "GR"), ("GRD", "GD"), ("GRL", "GL"), ("GTM", "GT"), ("GUF", "GF"), ("GUM", "GU"), ("GUY", "GY"),
    ("HKG", "HK"), ("HMD", "HM"), ("HND", "HN"), ("HRV", "HR"), ("HTI", "HT"), ("HUN", "HU"), ("IDN", "ID"), ("IMN", "IM"),
    ("IND", "IN"), ("IOT", "IO"), ("IRL", "IE"), ("IRN", "IR"), ("IRQ", "IQ"), ("ISL", "IS"), ("ISR", "IL"), ("ITA", "IT"),
    ("JAM", "JM"), ("JEY", "JE"), ("JOR", "JO"), ("JPN", "JP"), ("KAZ", "KZ"), ("KEN", "KE"), ("KGZ", "KG"), ("KHM", "KH"),
    ("KIR", "KI"), ("KNA", "KN"), ("KOR", "KR"), ("KWT", "KW"), ("LAO", "LA"), ("LBN", "LB"), ("LBR", "LR"), ("LBY", "LY"),
    ("LCA", "LC"), ("LIE", "LI"), ("LKA", "LK"), ("LSO", "LS"), ("LTU", "LT"), ("LUX", "LU"), ("LVA", "LV"), ("MAC", "MO"),
    ("MAF", "MF"), ("MAR", "MA"), ("MCO", "MC"), ("MDA", "MD"), ("MDG", "MG"), ("MDV", "MV"), ("MEX", "MX"), ("MHL", "MH"),
    ("MKD", "MK"), ("MLI", "ML"), ("MLT", "MT"), ("MMR", "MM"), ("MNE", "ME"), ("MNG", "MN"), ("MNP", "MP"), ("MOZ", "MZ"),
    ("MRT", "MR"), ("MSR", "MS"), ("MTQ", "MQ"), ("MUS", "MU"), ("MWI", "MW"), ("MYS", "MY"), ("MYT", "YT"), ("NAM", "NA"),
    ("NCL", "NC"), ("NER", "NE"), ("NFK", "NF"), ("NGA", "NG"), ("NIC", "NI"), ("NIU", "NU"), ("NLD", "NL"), ("NOR", "NO"),
    ("NPL", "NP"), ("NRU", "NR"), ("NZL", "NZ"), ("OMN", "OM"), ("PAK", "PK"), ("PAN", "PA"), ("PCN", "PN"), ("PER", "PE"),
    ("PHL", "PH"), ("PLW", "PW"), ("PNG", "PG"), ("POL", "PL"), ("PRI", "PR"), ("PRK", "KP"), ("PRT", "PT"), ("PRY", "PY"),
    ("PSE", "PS"), ("PYF", "PF"), ("QAT", "QA"), ("REU", "RE"), ("ROU", "RO"), ("RUS", "RU"), ("RWA", "RW"), ("SAU", "SA"),
    ("SDN", "SD"), ("SEN", "SN"), ("SGP", "SG"), ("SGS", "GS"), ("SHN", "SH"), ("SJM", "SJ"), ("SLB", "SB"), ("SLE", "SL"),
    ("SLV", "SV"), ("SMR", "SM"), ("SOM", "SO"), ("SPM", "PM"), ("SRB", "RS"), ("SSD", "SS"), ("STP", "ST"), ("SUR", "SR"),
    ("SVK", "SK"), ("SVN", "SI"), ("SWE", "SE"), ("SWZ", "SZ"), ("SXM", "SX"), ("SYC", "SC"), ("SYR", "SY"), ("TCA", "TC"),
    ("TCD", "TD"), ("TGO", "TG"), ("THA", "TH"), ("TJK", "TJ"), ("TKL", "TK"), ("TKM", "TM"), ("TLS", "TL"), ("TON", "TO"),
    ("TTO", "TT"), ("TUN", "TN"), ("TUR", "TR"), ("TUV", "TV"), ("TWN", "TW"), ("TZA", "TZ"), ("UGA", "UG"), ("UKR", "UA"),
    ("UMI", "UM"), ("URY", "UY"), ("USA", "US"), ("UZB", "UZ"), ("VAT", "VA"), ("VCT", "VC"), ("VEN", "VE"), ("VGB", "VG"),
    ("VIR", "VI"), ("VNM", "VN"), ("VUT", "VU"), ("WLF", "WF"), ("WSM", "WS"), ("XKX", "XK"), ("YEM", "YE"), ("ZAF", "ZA"),
    ("ZMB", "ZM"), ("ZWE", "ZW"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_unique_and_well_formed() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0), "sorted by alpha-3, no repeats");
        let mut twos: Vec<&str> = COUNTRIES.iter().map(|(_, a2)| *a2).collect();
        twos.sort_unstable();
        twos.dedup();
        assert_eq!(twos.len(), COUNTRIES.len(), "no alpha-2 code twice");
        for (a3, a2) in COUNTRIES {
            assert!(a3.len() == 3 && a3.chars().all(|c| c.is_ascii_uppercase()), "{a3}");
            assert!(a2.len() == 2 && a2.chars().all(|c| c.is_ascii_uppercase()), "{a2}");
        }
    }

    #[test]
    fn codes_convert_both_ways() {
        for (a3, a2) in [("RUS", "RU"), ("PRK", "KP"), ("KOR", "KR"), ("UKR", "UA"), ("GBR", "GB"), ("ZWE", "ZW")] {
            assert_eq!(alpha2(a3), Some(a2));
            assert_eq!(alpha3(a2), Some(a3));
        }
        assert_eq!(alpha2("ABW"), Some("AW"));
        assert_eq!(alpha2("XKX"), Some("XK"));
        assert_eq!(alpha2("XYZ"), None);
        assert_eq!(alpha2("rus"), None);
        assert_eq!(alpha3("UK"), None, "exceptionally reserved, not assigned");
    }
}
