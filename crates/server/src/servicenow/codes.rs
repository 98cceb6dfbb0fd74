//! `GET /now/wrapup/code/{code_id}` and `POST /now/wrapup/code`.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use wrapup_core::servicenow::{
    CodePostRequest, CodeResponse, CodeResult, CreatedWrapUpCodes, WrapUpCodeMap,
};

use super::{SnError, answer_format, code_store, language, path_param};
use crate::AppState;
use crate::wire::{decode, encode};

pub async fn get_code(
    State(state): State<AppState>,
    Path(params): Path<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, SnError> {
    let format = answer_format(&headers);
    let code_id = path_param(&params, "code_id");
    let language = language(&headers, &state.language);
    let lookup = code_id.clone();
    let code = state
        .db
        .call(move |connection| code_store::by_sys_id(connection, &lookup, &language))
        .await
        .map_err(|error| SnError::internal(format, &error))?
        .ok_or_else(|| {
            SnError::not_found(
                format,
                "Wrap up code not found.",
                format!("no wrap-up code has the sys_id {code_id}"),
            )
        })?;
    let response = CodeResponse {
        result: CodeResult {
            message: "Wrap up code found.".to_owned(),
            result_map: WrapUpCodeMap { wrap_up_code: code },
            success: true,
        },
    };
    Ok(encode(format, StatusCode::OK, &response))
}

/// The `result_map` of a POST code answer: the created codes and, on a 207,
/// the codes that failed validation (`failed_wrap_up_codes`, each with its
/// index in the request, its label and the reason).
#[derive(Debug, Serialize, Deserialize)]
pub struct CodePostResultMap {
    #[serde(flatten)]
    created: CreatedWrapUpCodes,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed_wrap_up_codes: Vec<FailedWrapUpCode>,
}

/// A code of a POST code request that was not created.
#[derive(Debug, Serialize, Deserialize)]
pub struct FailedWrapUpCode {
    index: usize,
    code: String,
    error: String,
}

pub async fn post_codes(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, SnError> {
    let format = answer_format(&headers);
    let request: CodePostRequest =
        decode(&headers, &body).map_err(|error| SnError::bad_request(format, error))?;
    if request.codes.is_empty() {
        return Err(SnError::bad_request(
            format,
            "codes: required; send at least one wrap-up code",
        ));
    }
    let mut valid = Vec::new();
    let mut failed = Vec::new();
    for (index, code) in request.codes.into_iter().enumerate() {
        let single = CodePostRequest { codes: vec![code] };
        match single.validate() {
            Ok(()) => valid.extend(single.codes),
            Err(error) => failed.push(FailedWrapUpCode {
                index,
                code: single.codes[0].code.clone(),
                error: error
                    .to_string()
                    .replacen("codes[0]", &format!("codes[{index}]"), 1),
            }),
        }
    }
    if valid.is_empty() {
        let reasons: Vec<String> = failed.into_iter().map(|failed| failed.error).collect();
        return Err(SnError::bad_request(format, reasons.join("; ")));
    }
    let language = language(&headers, &state.language);
    let created = state
        .db
        .call(move |connection| {
            let transaction = connection.transaction()?;
            let created = valid
                .iter()
                .map(|code| code_store::upsert(&transaction, code, &language))
                .collect::<Result<Vec<_>, _>>()?;
            transaction.commit()?;
            Ok(created)
        })
        .await
        .map_err(|error| SnError::internal(format, &error))?;
    let (status, message) = if failed.is_empty() {
        (StatusCode::OK, "All wrap up codes created successfully.")
    } else {
        (
            StatusCode::MULTI_STATUS,
            "Some wrap up codes created successfully. Others failed validation.",
        )
    };
    let response = CodeResponse {
        result: CodeResult {
            message: message.to_owned(),
            result_map: CodePostResultMap {
                created: CreatedWrapUpCodes {
                    created_wrap_up_codes: created,
                },
                failed_wrap_up_codes: failed,
            },
            success: true,
        },
    };
    Ok(encode(format, status, &response))
}
