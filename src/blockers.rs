//! Deletion blockers: filled by issue #7.
