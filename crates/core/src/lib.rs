//! The pure core of wrapup-gadget.
//!
//! Everything here can be decided without a browser, a network or a clock:
//! the serde types of every API the product speaks, and the [`desk::Desk`]
//! reducer that owns agent state, workitems and wrap-up sessions. Time is
//! always passed in, so every rule is a fast native unit test.
//!
//! Modules by API:
//! - [`bs`]: the b+s Connects Integration API (`cil` events, requests, data reference);
//! - [`servicenow`]: the ServiceNow Wrap Up API and openframe API;
//! - [`tenios`]: Tenios wrap-up extend / cancel;
//! - [`genesys`]: Genesys Context Services complete-service;
//! - [`cti_wrapup`]: the wrap-up a CTI system announces in call data;
//! - [`clock_skew`]: how far the browser's clock is from the CTI system's.
//!
//! No code here indexes a `str` by a range: [`text::part`] says why.

#![deny(clippy::string_slice)]

pub mod bs;
pub mod clock_skew;
pub mod cti_wrapup;
pub mod datetime;
pub mod desk;
pub mod extension;
pub mod genesys;
pub mod json;
pub mod lenient;
pub mod parse;
pub mod record;
pub mod servicenow;
pub mod tenios;
pub mod text;
