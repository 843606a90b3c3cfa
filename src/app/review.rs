//! What the pages draw from for feedback (issue 10): the Secretariat's review of one member, the
//! feedback files just written, and, on a member's side, the feedback imported.

use crate::assessment::{Assessment, Response};
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
    /// The newest revision received (what the query picker shows beside an indicator).
    pub latest: Option<Assessment>,
    /// The revision the queries were asked on, when a newer one has been received since.
    pub queried: Option<Assessment>,
}

/// The longest part of a member's reply or evidence shown on the Review page, in characters.
pub const SHOWN_MAX: usize = 600;

/// One answer to a query as the Review page shows it: the member's answer when asked and now.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryAnswer {
    pub indicator: String,
    pub query: String,
    /// The answer the query was asked on, with its revision.
    pub before: Option<(u32, Response)>,
    /// The answer in the newest revision, with its revision (cleaned texts).
    pub now: Option<(u32, Response)>,
    /// The member's reply in the newest revision (cleaned: one line, at most [`SHOWN_MAX`]).
    pub reply: Option<String>,
}

impl QueryAnswer {
    /// A revision newer than the one queried has been received: the answer is in.
    pub fn received(&self) -> bool {
        matches!((&self.before, &self.now), (Some((b, _)), Some((n, _))) if n > b)
    }
}

/// A response from a member's return with its texts fit to show.
fn shown(r: &Response) -> Response {
    let mut r = r.clone();
    r.evidence = crate::exchange::clean_text_max(&r.evidence, SHOWN_MAX);
    r.comment = crate::exchange::clean_text_max(&r.comment, SHOWN_MAX);
    r
}

impl ReviewView {
    /// The newest answer on an indicator (texts cleaned), with its revision.
    pub fn answer(&self, indicator: &str) -> Option<(u32, Response)> {
        let a = self.latest.as_ref()?;
        a.response(indicator).map(|r| (a.header.revision, shown(r)))
    }

    /// Each query with the answer it was asked on and the newest one, and the member's reply.
    pub fn answers(&self) -> Vec<QueryAnswer> {
        self.queries
            .iter()
            .map(|(indicator, query)| {
                let now = self.answer(indicator);
                let before = match &self.queried {
                    Some(a) => a.response(indicator).map(|r| (a.header.revision, shown(r))),
                    None => now.clone(),
                };
                let reply = self
                    .queried
                    .as_ref()
                    .and(self.latest.as_ref())
                    .and_then(|a| a.reply(indicator))
                    .map(|t| crate::exchange::clean_text_max(t, SHOWN_MAX));
                QueryAnswer { indicator: indicator.clone(), query: query.clone(), before, now, reply }
            })
            .collect()
    }
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
    /// Administration: the return files written and where each stands (the outbox).
    pub outbox: Arc<Vec<crate::feedback::OutboxItem>>,
}
