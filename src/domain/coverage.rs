//! Coverage of the terms of reference: which agencies' work addresses each
//! item, derived from the records linked to it (chronology entries, challenges,
//! decisions) and from the chair's explicit marks. Pure: the store supplies the counts.

/// How many live records of one kind link one item to one agency (`None`: no agency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkCount {
    pub term_id: i64,
    pub agency_id: Option<i64>,
    pub count: u32,
}

/// The raw facts coverage is derived from, as the store reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageFacts {
    /// Chronology entries linked to an item, per agency of the entry.
    pub entries: Vec<LinkCount>,
    /// Challenges linked to an item, per agency challenged.
    pub challenges: Vec<LinkCount>,
    /// Decisions linked to an item: the panel's, so they belong to no agency.
    pub decisions: Vec<(i64, u32)>,
    /// The chair's marks: (item, agency) pairs whose return addresses the item.
    pub marks: Vec<(i64, i64)>,
}

/// What one agency does for one item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgencyCoverage {
    pub entries: u32,
    pub challenges: u32,
    /// The chair marked the agency's return as addressing the item.
    pub marked: bool,
}

impl AgencyCoverage {
    /// Records of this agency linked to the item.
    pub fn links(&self) -> u32 {
        self.entries + self.challenges
    }

    /// Whether the agency covers the item: a linked record or the chair's mark.
    pub fn covers(&self) -> bool {
        self.links() > 0 || self.marked
    }
}

/// The coverage of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemCoverage {
    pub term_id: i64,
    /// One per agency, in the order of [`Coverage::agency_ids`].
    pub agencies: Vec<AgencyCoverage>,
    /// The panel's decisions linked to the item.
    pub decisions: u32,
    /// Entries and challenges linked to the item that name no agency of the case.
    pub unattributed: u32,
}

impl ItemCoverage {
    /// How many agencies cover the item.
    pub fn covering_agencies(&self) -> usize {
        self.agencies.iter().filter(|a| a.covers()).count()
    }

    /// What the panel column counts: decisions, and links that name no agency.
    pub fn panel_links(&self) -> u32 {
        self.decisions + self.unattributed
    }

    /// Nothing covers the item: no linked record of any kind and no mark.
    pub fn is_uncovered(&self) -> bool {
        self.covering_agencies() == 0 && self.panel_links() == 0
    }
}

/// The coverage of every item of a case, by agency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub agency_ids: Vec<i64>,
    pub items: Vec<ItemCoverage>,
}

impl Coverage {
    /// The coverage of one item, if it is one of the case's.
    pub fn item(&self, term_id: i64) -> Option<&ItemCoverage> {
        self.items.iter().find(|i| i.term_id == term_id)
    }

    /// How many items nothing covers.
    pub fn uncovered(&self) -> usize {
        self.items.iter().filter(|i| i.is_uncovered()).count()
    }
}

/// Works out the coverage of `term_ids` (in display order) across `agency_ids` (in column
/// order). Facts about other items are ignored; facts naming an agency not in the list
/// (or none) count as the panel's, so a link is never lost from sight.
pub fn coverage(term_ids: &[i64], agency_ids: &[i64], facts: &CoverageFacts) -> Coverage {
    let mut items: Vec<ItemCoverage> = term_ids
        .iter()
        .map(|&term_id| ItemCoverage {
            term_id,
            agencies: vec![AgencyCoverage::default(); agency_ids.len()],
            decisions: 0,
            unattributed: 0,
        })
        .collect();
    let row = |items: &[ItemCoverage], term_id: i64| -> Option<usize> {
        items.iter().position(|i| i.term_id == term_id)
    };
    let column = |agency_id: Option<i64>| -> Option<usize> {
        agency_id.and_then(|a| agency_ids.iter().position(|id| *id == a))
    };
    for (links, is_entry) in [(&facts.entries, true), (&facts.challenges, false)] {
        for link in links {
            let Some(r) = row(&items, link.term_id) else {
                continue;
            };
            match column(link.agency_id) {
                Some(c) => {
                    let cell = &mut items[r].agencies[c];
                    if is_entry {
                        cell.entries += link.count;
                    } else {
                        cell.challenges += link.count;
                    }
                }
                None => items[r].unattributed += link.count,
            }
        }
    }
    for &(term_id, count) in &facts.decisions {
        if let Some(r) = row(&items, term_id) {
            items[r].decisions += count;
        }
    }
    for &(term_id, agency_id) in &facts.marks {
        if let (Some(r), Some(c)) = (row(&items, term_id), column(Some(agency_id))) {
            items[r].agencies[c].marked = true;
        }
    }
    Coverage {
        agency_ids: agency_ids.to_vec(),
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(term_id: i64, agency_id: Option<i64>, count: u32) -> LinkCount {
        LinkCount {
            term_id,
            agency_id,
            count,
        }
    }

    #[test]
    fn entries_and_challenges_count_for_their_agency() {
        let facts = CoverageFacts {
            entries: vec![link(1, Some(10), 3), link(1, Some(20), 1)],
            challenges: vec![link(1, Some(10), 2)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1, 2], &[10, 20, 30], &facts);
        let item = c.item(1).unwrap();
        assert_eq!(
            item.agencies[0],
            AgencyCoverage {
                entries: 3,
                challenges: 2,
                marked: false
            }
        );
        assert_eq!(item.agencies[1].links(), 1);
        assert!(!item.agencies[2].covers());
        assert_eq!(item.covering_agencies(), 2);
        assert!(!item.is_uncovered());
        assert!(c.item(2).unwrap().is_uncovered());
        assert_eq!(c.uncovered(), 1);
    }

    #[test]
    fn a_chair_mark_alone_covers_an_item_for_that_agency() {
        let facts = CoverageFacts {
            marks: vec![(2, 30)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1, 2], &[10, 30], &facts);
        let item = c.item(2).unwrap();
        assert!(item.agencies[1].marked && item.agencies[1].covers());
        assert_eq!(item.agencies[1].links(), 0);
        assert_eq!(item.covering_agencies(), 1);
        assert!(!item.is_uncovered());
        assert!(c.item(1).unwrap().is_uncovered());
    }

    #[test]
    fn decisions_belong_to_the_panel_and_still_cover_the_item() {
        let facts = CoverageFacts {
            decisions: vec![(1, 2)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1], &[10], &facts);
        let item = c.item(1).unwrap();
        assert_eq!(item.decisions, 2);
        assert_eq!(item.covering_agencies(), 0, "no agency covers it");
        assert!(!item.is_uncovered(), "but the panel's decision does");
    }

    #[test]
    fn links_without_a_known_agency_count_for_the_panel_not_lost() {
        let facts = CoverageFacts {
            entries: vec![link(1, None, 1), link(1, Some(99), 2)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1], &[10], &facts);
        let item = c.item(1).unwrap();
        assert_eq!(item.unattributed, 3);
        assert_eq!(item.panel_links(), 3);
        assert!(!item.is_uncovered());
    }

    #[test]
    fn facts_about_other_items_and_marks_for_unknown_agencies_are_ignored() {
        let facts = CoverageFacts {
            entries: vec![link(7, Some(10), 5)],
            decisions: vec![(7, 1)],
            marks: vec![(7, 10), (1, 99)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1], &[10], &facts);
        assert_eq!(c.items.len(), 1);
        assert!(c.item(1).unwrap().is_uncovered());
        assert!(c.item(7).is_none());
    }

    #[test]
    fn columns_follow_the_agency_order_given() {
        let facts = CoverageFacts {
            entries: vec![link(1, Some(20), 4)],
            ..CoverageFacts::default()
        };
        let c = coverage(&[1], &[20, 10], &facts);
        assert_eq!(c.agency_ids, vec![20, 10]);
        assert_eq!(c.items[0].agencies[0].entries, 4);
        assert_eq!(c.items[0].agencies[1].entries, 0);
    }
}
