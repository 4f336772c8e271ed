//! The timeline's filter off the input thread: a worker with its own read-only connection
//! counts the entries passing a filter and reads the window around the selection, while
//! the workspace goes on taking keys. A newer request stops the query under way (SQLite's
//! interrupt) and only the newest request's answer is used, so typing never waits for a
//! scan and no stale result is shown.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::app::Msg;
use crate::domain::filter::TimelineFilter;
use crate::store::{OpenMode, Store};

use super::{TIMELINE_WINDOW, TimelineRow};

/// How a message reaches the workspace's loop from another thread.
pub type Notify = Arc<dyn Fn(Msg) + Send + Sync>;

/// What the worker is asked: the filter and where the selection is.
#[derive(Debug, Clone)]
pub struct FilterRequest {
    /// Which request this is (given by [`FilterWorker::submit`]); answers to older ones
    /// are dropped.
    pub generation: u64,
    pub case_id: i64,
    pub filter: TimelineFilter,
    pub selected: u64,
}

/// The worker's answer: the entries matching, the selection kept within them and the
/// window of rows around it; or what went wrong, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterFound {
    pub generation: u64,
    pub result: Result<FoundRows, String>,
}

/// Answers are compared whole (messages are compared in tests); no field is a float.
impl Eq for FilterFound {}

#[derive(Debug, Clone, PartialEq)]
pub struct FoundRows {
    pub matching: u64,
    pub selected: u64,
    pub start: u64,
    pub rows: Vec<TimelineRow>,
}

/// The count and the window for a request, read from `store`.
pub fn find(store: &Store, request: &FilterRequest) -> crate::store::Result<FoundRows> {
    let matching = store.chronology_count_matching(request.case_id, &request.filter)?;
    let selected = request.selected.min(matching.saturating_sub(1));
    let start = selected.saturating_sub(TIMELINE_WINDOW / 2);
    let rows = store.chronology_window(request.case_id, &request.filter, start, TIMELINE_WINDOW)?;
    Ok(FoundRows {
        matching,
        selected,
        start,
        rows,
    })
}

/// The worker thread and the way to stop its query.
pub struct FilterWorker {
    requests: mpsc::Sender<FilterRequest>,
    /// The number of the last request.
    generation: u64,
    /// The number of the last request or cancel, as the worker reads it: a query stopped
    /// for a cancel is not asked again.
    latest: Arc<AtomicU64>,
    interrupt: Arc<Mutex<Option<crate::store::Interrupt>>>,
}

impl FilterWorker {
    /// Starts a worker reading `path` (its own read-only connection, opened on the worker
    /// thread); answers go to `notify` as [`Msg::TimelineFound`].
    pub fn start(
        path: PathBuf,
        clock: Arc<dyn crate::time::Clock>,
        notify: Notify,
    ) -> FilterWorker {
        let (requests, inbox) = mpsc::channel::<FilterRequest>();
        let interrupt = Arc::new(Mutex::new(None));
        let handle = interrupt.clone();
        let latest = Arc::new(AtomicU64::new(0));
        let wanted = latest.clone();
        std::thread::spawn(move || {
            let store = Store::open(&path, OpenMode::Inspect, clock);
            if let (Ok(store), Ok(mut slot)) = (&store, handle.lock()) {
                *slot = Some(store.interrupt_handle());
            }
            serve(store, &inbox, &wanted, &*notify);
        });
        FilterWorker {
            requests,
            generation: 0,
            latest,
            interrupt,
        }
    }

    /// Stops the query under way, if any, and asks nothing new (the filter was cleared:
    /// the pane reads the whole timeline itself).
    pub fn cancel(&mut self) {
        self.generation += 1;
        self.latest.store(self.generation, Ordering::SeqCst);
        self.interrupt_query();
    }

    fn interrupt_query(&self) {
        if let Ok(slot) = self.interrupt.lock()
            && let Some(handle) = slot.as_ref()
        {
            handle.interrupt();
        }
    }

    /// Asks for a filter's rows, stopping the query of any older request; returns the
    /// number the answer will carry (the request's own is replaced: numbers only grow).
    pub fn submit(&mut self, mut request: FilterRequest) -> u64 {
        self.generation += 1;
        request.generation = self.generation;
        self.latest.store(self.generation, Ordering::SeqCst);
        let _ = self.requests.send(request);
        self.interrupt_query();
        self.generation
    }
}

/// Answers requests until the workspace drops the worker, always the newest waiting one.
fn serve(
    store: crate::store::Result<Store>,
    inbox: &mpsc::Receiver<FilterRequest>,
    latest: &AtomicU64,
    notify: &(dyn Fn(Msg) + Send + Sync),
) {
    while let Ok(mut request) = inbox.recv() {
        loop {
            while let Ok(newer) = inbox.try_recv() {
                request = newer;
            }
            let result = match &store {
                Ok(store) => find(store, &request),
                Err(e) => Err(crate::store::StoreError::Rule(format!(
                    "the timeline could not be filtered: {e}"
                ))),
            };
            match result {
                // Stopped for a newer request (or, rarely, an interrupt meant for a query
                // that had just ended): take the newest request, or ask this one again.
                // A cancel since this request: nothing is asked again until the next one.
                Err(e) if e.is_interrupted() => {
                    if request.generation < latest.load(Ordering::SeqCst) {
                        match inbox.try_recv() {
                            Ok(newer) => request = newer,
                            Err(_) => break,
                        }
                    }
                    continue;
                }
                result => {
                    notify(Msg::TimelineFound(Box::new(FilterFound {
                        generation: request.generation,
                        result: result.map_err(|e| e.to_string()),
                    })));
                    break;
                }
            }
        }
    }
}
