//! What-if: filled by issue #8.
