// Talking to the API from the browser: session cookie + CSRF header, and errors turned into
// sentences a person can act on.

function cookie(name) {
  const match = document.cookie.match(new RegExp(`(?:^|; )${name}=([^;]*)`));
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, message, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

function flatten(data, prefix = "") {
  if (data == null) return [];
  if (typeof data === "string") return [prefix ? `${prefix}: ${data}` : data];
  if (Array.isArray(data)) return data.flatMap((item) => flatten(item, prefix));
  return Object.entries(data).flatMap(([key, value]) => {
    const name = key === "detail" || key === "non_field_errors" ? prefix : prefix ? `${prefix}.${key}` : key;
    return flatten(value, name);
  });
}

const STATUS_HINTS = {
  401: "You are signed out. Log in again; nothing was saved.",
  403: "You are not allowed to do that.",
  404: "It no longer exists (someone may have deleted it).",
  409: "Someone else changed it first.",
  413: "That is too large.",
};

export async function api(method, url, body) {
  const options = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": cookie("csrftoken") },
  };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, options);
  } catch (error) {
    throw new ApiError(0, "The server could not be reached; check your connection. Nothing was saved.", null);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = flatten(data).join(" ") || STATUS_HINTS[response.status] || `The server answered ${response.status}.`;
    throw new ApiError(response.status, message, data);
  }
  return data;
}
