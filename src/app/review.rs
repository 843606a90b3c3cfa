//! What the pages draw from for feedback (issue 10): the Secretariat's review of one member, the
//! feedback files just written, and, on a member's side, the feedback imported.

use crate::feedback::FeedbackView;
use crate::secretariat::consolidate::Request;
use crate::store::{ReceiptRow, ReviewRow};
use std::path::PathBuf;
use std::sync::Arc;

/// One member's review for the cycle chosen, as the Review page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewView {
    pub member: String,
    pub cycle: i32,
    /// One of `exchange::feedback::STATES`.
    pub state: String,
    /// (indicator, text), framework order.
    pub queries: Vec<(String, String)>,
    pub notes: Vec<(String, String)>,
    /// The member's requests for assistance (gaps marked C) in the return that counts.
    pub requests: Vec<Request>,
    pub receipts: Vec<ReceiptRow>,
    /// Feedback files written so far to this member for the cycle.
    pub written: u32,
}

/// Feedback files just written (the "how to send it" panel).
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFeedback {
    pub cycle: i32,
    /// (member, path)
    pub files: Vec<(String, PathBuf)>,
}

/// The feedback state of the snapshot.
#[derive(Debug, Clone, Default)]
pub struct FeedbackState {
    /// Secretariat: every member who returned in the cycle chosen, with its review.
    pub reviews: Arc<Vec<ReviewRow>>,
    /// Secretariat: the member's review open on the Review page.
    pub review: Option<Arc<ReviewView>>,
    /// Secretariat: the feedback files last written.
    pub written: Option<WrittenFeedback>,
    /// Administration: the latest feedback imported per cycle, newest cycle first.
    pub received: Arc<Vec<FeedbackView>>,
}
