//! The relation vocabulary of NIST IR 8477 / OSCAL 1.2 as set relations,
//! and their composition.
//!
//! A mapping "A RELATION B" says how the set of requirements A is placed
//! against the set B. Five *base* relations cover every pair of non-empty
//! sets (the RCC-5 relations): `Eq` (A = B), `Pp` (A ⊊ B), `Ppi` (A ⊋ B),
//! `Po` (they overlap, neither holds the other) and `Dr` (disjoint). Each
//! relation of the vocabulary means a set of base relations:
//!
//! | relation          | means                 |
//! |-------------------|-----------------------|
//! | `equal-to`        | Eq                    |
//! | `equivalent-to`   | Eq (semantically)     |
//! | `subset-of`       | Pp                    |
//! | `superset-of`     | Ppi                   |
//! | `intersects-with` | Eq, Pp, Ppi or Po: the two share content |
//! | `no-relationship` | Dr                    |
//! | undetermined      | any of the five       |
//!
//! `related` (the untyped crosswalk, the default of a `map`) claims no set
//! relation: it is [`Relation::Undetermined`].
//!
//! A chain A R1 B R2 C gives A (R1 ; R2) C: the base relations A and C can
//! be in when A and B are in one of R1's and B and C in one of R2's (the
//! RCC-5 composition table, [`compose_base`], checked against every triple
//! of subsets of a five-element set in the tests), named by the most
//! precise relation of the vocabulary that holds all of them
//! ([`Relation::naming`]); when only "any" does, the outcome is
//! [`Relation::Undetermined`]. `equal-to` is the identity; `equivalent-to`
//! composes like it but an `equal-to` through an `equivalent-to` is only
//! `equivalent-to`. Composition is associative on every triple of the
//! vocabulary (tested exhaustively), so a chain's relation does not depend
//! on how it is grouped. docs/chains.md prints the whole table.

use std::fmt;

/// A relation of the vocabulary, or the undetermined outcome of a
/// composition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    EqualTo,
    EquivalentTo,
    SubsetOf,
    SupersetOf,
    IntersectsWith,
    NoRelationship,
    /// Nothing set theory can tell: `related`, or a composition whose
    /// outcome could be anything.
    Undetermined,
}

/// Base relations as bits of a mask.
const EQ: u8 = 1;
const PP: u8 = 2;
const PPI: u8 = 4;
const PO: u8 = 8;
const DR: u8 = 16;
const ANY: u8 = EQ | PP | PPI | PO | DR;
const SHARED: u8 = EQ | PP | PPI | PO;

impl Relation {
    /// Every value, in the order of the table in docs/chains.md.
    pub const ALL: [Relation; 7] = [
        Relation::EqualTo,
        Relation::EquivalentTo,
        Relation::SubsetOf,
        Relation::SupersetOf,
        Relation::IntersectsWith,
        Relation::NoRelationship,
        Relation::Undetermined,
    ];

    /// The relation a `relation` field names; `related` (and a value
    /// outside the vocabulary, which `check` reports) is undetermined.
    pub fn parse(text: &str) -> Relation {
        match text {
            "equal-to" => Relation::EqualTo,
            "equivalent-to" => Relation::EquivalentTo,
            "subset-of" => Relation::SubsetOf,
            "superset-of" => Relation::SupersetOf,
            "intersects-with" => Relation::IntersectsWith,
            "no-relationship" => Relation::NoRelationship,
            _ => Relation::Undetermined,
        }
    }

    /// The value of a `relation` field saying this: `related` for
    /// undetermined (the format's word for "no set relation claimed").
    pub fn field_value(self) -> &'static str {
        match self {
            Relation::Undetermined => "related",
            other => other.as_str(),
        }
    }

    /// The name shown to people and in JSON: `undetermined` says so.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::EqualTo => "equal-to",
            Relation::EquivalentTo => "equivalent-to",
            Relation::SubsetOf => "subset-of",
            Relation::SupersetOf => "superset-of",
            Relation::IntersectsWith => "intersects-with",
            Relation::NoRelationship => "no-relationship",
            Relation::Undetermined => "undetermined",
        }
    }

    /// "B RELATION A" for "A RELATION B".
    pub fn inverse(self) -> Relation {
        match self {
            Relation::SubsetOf => Relation::SupersetOf,
            Relation::SupersetOf => Relation::SubsetOf,
            other => other,
        }
    }

    /// The base relations this relation allows.
    fn meaning(self) -> u8 {
        match self {
            Relation::EqualTo | Relation::EquivalentTo => EQ,
            Relation::SubsetOf => PP,
            Relation::SupersetOf => PPI,
            Relation::IntersectsWith => SHARED,
            Relation::NoRelationship => DR,
            Relation::Undetermined => ANY,
        }
    }

    /// The most precise relation that allows every base relation of
    /// `mask` (the vocabulary's meanings form two chains under inclusion,
    /// Eq/Pp/Ppi ⊂ shared ⊂ any and Dr ⊂ any, so it is unique).
    fn naming(mask: u8) -> Relation {
        match mask {
            EQ => Relation::EquivalentTo,
            PP => Relation::SubsetOf,
            PPI => Relation::SupersetOf,
            DR => Relation::NoRelationship,
            m if m & !SHARED == 0 => Relation::IntersectsWith,
            _ => Relation::Undetermined,
        }
    }

    /// How determined the relation is, lower first: how many base
    /// relations it allows, ties broken by the order of [`Relation::ALL`].
    pub fn rank(self) -> (u32, Relation) {
        (self.meaning().count_ones(), self)
    }

    /// Is it anything but [`Relation::Undetermined`]?
    pub fn is_determined(self) -> bool {
        self != Relation::Undetermined
    }
}

impl fmt::Display for Relation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A then B: the relation of the first set to the third, given the first's
/// to the second (`a`) and the second's to the third (`b`).
pub fn compose(a: Relation, b: Relation) -> Relation {
    match (a, b) {
        (Relation::EqualTo, b) => b,
        (a, Relation::EqualTo) => a,
        (a, b) => Relation::naming(compose_masks(a.meaning(), b.meaning())),
    }
}

/// The relation a chain of links composes to (`equal-to` for none).
pub fn compose_all(relations: impl IntoIterator<Item = Relation>) -> Relation {
    relations.into_iter().fold(Relation::EqualTo, compose)
}

/// The composition table as Markdown, as docs/chains.md prints it (a test
/// keeps the two in step): rows the first link's relation, columns the
/// second's. `related` stands for undetermined in the heading, the way a
/// `map` writes it.
pub fn table_markdown() -> String {
    let head = |r: Relation| match r {
        Relation::Undetermined => "related / undetermined",
        other => other.as_str(),
    };
    let mut out = String::from("| A→B ; B→C |");
    for b in Relation::ALL {
        out.push_str(&format!(" {} |", head(b)));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Relation::ALL.len()));
    out.push('\n');
    for a in Relation::ALL {
        out.push_str(&format!("| **{}** |", head(a)));
        for b in Relation::ALL {
            out.push_str(&format!(" {} |", compose(a, b)));
        }
        out.push('\n');
    }
    out
}

/// The RCC-5 composition of two base relations (single bits), as a mask.
fn compose_base(a: u8, b: u8) -> u8 {
    match (a, b) {
        (EQ, b) => b,
        (a, EQ) => a,
        (PP, PP) => PP,
        (PP, PPI) => ANY,
        (PP, PO) => PP | PO | DR,
        (PP, DR) => DR,
        (PPI, PP) => SHARED,
        (PPI, PPI) => PPI,
        (PPI, PO) => PPI | PO,
        (PPI, DR) => PPI | PO | DR,
        (PO, PP) => PP | PO,
        (PO, PPI) => PPI | PO | DR,
        (PO, PO) => ANY,
        (PO, DR) => PPI | PO | DR,
        (DR, PP) => PP | PO | DR,
        (DR, PPI) => DR,
        (DR, PO) => PP | PO | DR,
        (DR, DR) => ANY,
        _ => ANY,
    }
}

/// The composition of two masks: the union over their base relations.
fn compose_masks(a: u8, b: u8) -> u8 {
    let mut out = 0;
    for x in bits(a) {
        for y in bits(b) {
            out |= compose_base(x, y);
        }
    }
    out
}

fn bits(mask: u8) -> impl Iterator<Item = u8> {
    [EQ, PP, PPI, PO, DR]
        .into_iter()
        .filter(move |b| mask & b != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The base relation of two non-empty sets, as bit masks of a small
    /// universe.
    fn base(a: u32, b: u32) -> u8 {
        let common = a & b;
        if a == b {
            EQ
        } else if common == a {
            PP
        } else if common == b {
            PPI
        } else if common != 0 {
            PO
        } else {
            DR
        }
    }

    #[test]
    fn the_base_table_is_what_sets_do() {
        // Every triple of non-empty subsets of a five-element set: the
        // relations A and C are found in, for each pair of A–B and B–C
        // relations, are exactly the table's.
        let mut seen = [[0u8; 32]; 32];
        for a in 1..32u32 {
            for b in 1..32u32 {
                for c in 1..32u32 {
                    seen[base(a, b) as usize][base(b, c) as usize] |= base(a, c);
                }
            }
        }
        for x in bits(ANY) {
            for y in bits(ANY) {
                assert_eq!(
                    compose_base(x, y),
                    seen[x as usize][y as usize],
                    "{x} then {y}"
                );
            }
        }
    }

    #[test]
    fn the_issues_examples() {
        use Relation::*;
        assert_eq!(compose(SubsetOf, SubsetOf), SubsetOf);
        assert_eq!(compose(SupersetOf, SubsetOf), IntersectsWith);
        assert_eq!(compose(SubsetOf, SupersetOf), Undetermined);
        for r in Relation::ALL {
            assert_eq!(compose(r, Relation::parse("related")), Undetermined);
            assert_eq!(compose(Relation::parse("related"), r), Undetermined);
        }
        assert_eq!(compose(EquivalentTo, EqualTo), EquivalentTo);
        assert_eq!(compose(EquivalentTo, EquivalentTo), EquivalentTo);
        assert_eq!(compose(EquivalentTo, SubsetOf), SubsetOf);
        assert_eq!(compose(SubsetOf, NoRelationship), NoRelationship);
        assert_eq!(compose(NoRelationship, SupersetOf), NoRelationship);
        assert_eq!(compose(SupersetOf, NoRelationship), Undetermined);
        assert_eq!(compose(SupersetOf, IntersectsWith), IntersectsWith);
        assert_eq!(compose(IntersectsWith, SubsetOf), IntersectsWith);
        assert_eq!(compose(IntersectsWith, SupersetOf), Undetermined);
        assert_eq!(compose(IntersectsWith, IntersectsWith), Undetermined);
    }

    #[test]
    fn associative_on_every_triple() {
        for a in Relation::ALL {
            for b in Relation::ALL {
                for c in Relation::ALL {
                    assert_eq!(
                        compose(compose(a, b), c),
                        compose(a, compose(b, c)),
                        "({a} ; {b}) ; {c}"
                    );
                }
            }
        }
    }

    #[test]
    fn docs_chains_md_prints_the_table() {
        let docs = include_str!("../../../docs/chains.md");
        let table = table_markdown();
        assert!(
            docs.contains(&table),
            "docs/chains.md should hold:\n{table}"
        );
    }

    #[test]
    fn names_parse_back() {
        for r in Relation::ALL {
            assert_eq!(Relation::parse(r.field_value()), r);
            assert_eq!(r.inverse().inverse(), r);
        }
        assert_eq!(Relation::parse("related"), Relation::Undetermined);
    }

    #[test]
    fn reading_intersects_with_strictly_names_the_same_outcomes() {
        // NIST IR 8477 reads a curated `intersects-with` strictly (each
        // has content the other lacks: Po alone); the table reads it as
        // "share content". One step from either reading is named alike.
        for r in Relation::ALL {
            let strict = |x: Relation| match x {
                Relation::IntersectsWith => PO,
                other => other.meaning(),
            };
            let left = Relation::naming(compose_masks(PO, strict(r)));
            let right = Relation::naming(compose_masks(strict(r), PO));
            if r != Relation::EqualTo && r != Relation::EquivalentTo {
                assert_eq!(left, compose(Relation::IntersectsWith, r), "po ; {r}");
                assert_eq!(right, compose(r, Relation::IntersectsWith), "{r} ; po");
            }
        }
    }

    fn relation() -> impl Strategy<Value = Relation> {
        prop::sample::select(Relation::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn equal_to_is_the_identity(r in relation()) {
            prop_assert_eq!(compose(Relation::EqualTo, r), r);
            prop_assert_eq!(compose(r, Relation::EqualTo), r);
        }

        /// The converse law: reading a chain backwards composes the
        /// inverses in reverse order.
        #[test]
        fn inverse_of_a_composition(a in relation(), b in relation()) {
            prop_assert_eq!(compose(a, b).inverse(), compose(b.inverse(), a.inverse()));
        }

        /// Any grouping of a chain gives the same relation.
        #[test]
        fn chains_compose_alike_in_any_grouping(
            chain in prop::collection::vec(relation(), 0..8),
            split in 0usize..8,
        ) {
            let split = split.min(chain.len());
            let whole = compose_all(chain.iter().copied());
            let halves = compose(
                compose_all(chain[..split].iter().copied()),
                compose_all(chain[split..].iter().copied()),
            );
            prop_assert_eq!(whole, halves);
        }

        /// Sound: for any sets A1..An, the composition of the relations
        /// between neighbours allows the relation of A1 to An.
        #[test]
        fn the_composed_relation_holds_of_real_sets(
            sets in prop::collection::vec(1u32..256, 2..7),
        ) {
            let named = |a: u32, b: u32| Relation::naming(base(a, b));
            let composed = compose_all(sets.windows(2).map(|w| named(w[0], w[1])));
            let actual = base(sets[0], *sets.last().unwrap());
            prop_assert!(composed.meaning() & actual != 0, "{} does not allow {}", composed, actual);
        }
    }
}
