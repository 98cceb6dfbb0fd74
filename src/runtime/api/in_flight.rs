//! The requests under way: each with its abort controller, registered until
//! it is over, and its timeout; all aborted when the widget goes away.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use wasm_bindgen::JsValue;

use super::{ApiError, describe};

/// The requests under way, to abort them all when the widget goes away.
/// A handful at a time: a plain list, each request found by its own
/// controller (no ids, no map to compile).
#[derive(Default)]
pub(super) struct InFlight {
    closed: Cell<bool>,
    controllers: RefCell<Vec<web_sys::AbortController>>,
}

impl InFlight {
    /// Aborts every request under way and refuses new ones.
    pub(super) fn close(&self) {
        self.closed.set(true);
        let controllers = std::mem::take(&mut *self.controllers.borrow_mut());
        for controller in controllers {
            controller.abort();
        }
    }

    /// How many requests are under way.
    pub(super) fn count(&self) -> usize {
        self.controllers.borrow().len()
    }
}

/// One request under way: its abort controller is registered until the
/// request is over (or its future dropped), and its timeout timer cleared.
pub(super) struct Request {
    in_flight: Rc<InFlight>,
    controller: web_sys::AbortController,
    timed_out: Rc<Cell<bool>>,
    timer: Option<TimeoutHandle>,
}

impl Request {
    pub(super) fn start(in_flight: &Rc<InFlight>, timeout: Duration) -> Result<Self, ApiError> {
        if in_flight.closed.get() {
            return Err(ApiError::network("the widget was closed"));
        }
        let controller =
            web_sys::AbortController::new().map_err(|error| ApiError::network(describe(&error)))?;
        in_flight.controllers.borrow_mut().push(controller.clone());
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let controller = controller.clone();
            let timed_out = Rc::clone(&timed_out);
            set_timeout_with_handle(
                move || {
                    timed_out.set(true);
                    controller.abort();
                },
                timeout,
            )
            .ok()
        };
        Ok(Self {
            in_flight: Rc::clone(in_flight),
            controller,
            timed_out,
            timer,
        })
    }

    pub(super) fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }

    /// A failure of the fetch, named for what caused it.
    pub(super) fn failure(&self, error: &JsValue, timeout: Duration) -> ApiError {
        if self.timed_out.get() {
            ApiError::network(format!("no answer within {} s", timeout.as_secs()))
        } else if self.controller.signal().aborted() {
            ApiError::network("the request was aborted")
        } else {
            ApiError::network(describe(error))
        }
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
        let controller = &self.controller;
        self.in_flight
            .controllers
            .borrow_mut()
            .retain(|other| other != controller);
    }
}
