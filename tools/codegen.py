"""Generate the Pydantic models, the TypeScript types, and the shim's request methods and frame
handling from schema/frames.schema.json, and the import records' Pydantic models from schema/import.schema.json.

`python tools/codegen.py` rewrites every generated file; `--check` writes nothing and exits 1
naming every stale file. The generators are deterministic, so "stale" means "differs byte for
byte". The TypeScript files are formatted with the repository's prettier config, so they pass
the prettier check as hand-written code does.

libs/chat-shim/requests.ts comes from the `x-shim` annotations on the client frames: a list of
stream-chat calls that each send that one frame, e.g. on MessageDelete

    "x-shim": [{"call": "client.deleteMessage", "args": ["id", {"name": "options",
                "fields": {"hardDelete": "hard"}}], "answer": "MessageDeletedEvent"}]

gives `deleteMessage(id, options = {})` on LocalChatClient, sending
`{type: "message.delete", id, hard: options.hardDelete}` and resolving with the answer. Keys:
- `call`: `client.<method>` (StreamChat) or `channel.<method>` (Channel; the frame's `cid` is the
  channel's);
- `args`, in Stream's order: a field name (a positional parameter holding that field), an object
  `{"name", "fields"}` (an options parameter; `fields` maps each option to a frame field, a list
  when the names are the same), `{"unused": NAME}` (a parameter Stream has that the shim
  ignores, such as a server-side user id), `{"sort": F}` (a parameter taking the SDK's sort,
  `{a: -1}` or `[{a: -1}, {b: 1}]`, sent as F, the wire's list of `{field, direction}`; an
  option of such a list takes it too), or `{"name", "by_type": {"string": F, "object": G}}` (one
  parameter that fills F when it is a string and G otherwise: search's query or message filter);
- `set`: fields with a fixed value (`{"pinned": true}`);
- `this`: fields taken from a member of the object (`{"data": "_data"}`: `data: this._data`),
  which whoever makes the object sets (the mixin declares it; LocalChatClient.channel() sets it);
- `hold`: F, a client call's answer list of channel.state frames: resolve with the client's
  LocalChannel for each (`channel(type, id)`), updated from it (Stream's queryChannels);
- `answer`: the def (or list of defs) the request is answered with;
- `wrap`: resolve with `{<wrap>: answer}` instead of the answer itself (Stream's `{event}`);
- `pages`: `{"call", "option", "after"}` adds `<call>(after)`, which makes the call page after
  page: `option` (a pagination def) asks for its `limit` maximum after `after`, then after each
  page's last item (the answer's list of the same name), until a page is not full;
- `throttle_ms`, `idle_stop_ms`, `stop` (together; Stream's keystroke): the call sends its frame
  at most every `throttle_ms` and calls the call of the client frame whose type is `stop` (same
  `args`) `idle_stop_ms` after its last call; that stop call also resets the throttle. Both
  resolve with nothing. On ClientTypingStart: `{"call": "channel.keystroke", "args":
  ["parent_id"], "answer": "Ok", "throttle_ms": 2000, "idle_stop_ms": 1000, "stop": "typing.stop"}`.

One def that answers an HTTP call instead of a frame, UploadResponse, carries `{"uploads": [{"call":
"channel.sendImage", "path": "image"}, ...]}`: each gives the channel Stream's `<method>(file, name?,
contentType?, user?, axiosRequestConfig?)`, which POSTs the file to /api/channels/{type}/{id}/<path>
on the socket's host with its token (an XMLHttpRequest, for upload progress), and the client the
`upload` helper they share.

libs/chat-shim/events.ts comes from the `x-shim` annotations on the server frames, an object that
says what the frame does in the shim, e.g. on MessageNewEvent

    "x-shim": {"state": {"messages": {"add": "message"}, "read": {"read_up_to": "message.id"}}}

gives, in `applyFrame`, `this.put([frame.message], true, true)` (file the message, adding it) and
`state.read[frame.user.id] = {user, last_read: frame.created_at, last_read_message_id:
frame.message.id, unread_messages: 0}`. Keys:
- `answer: true`: the frame only answers a request; it settles it and reaches no listener
  (`isEvent` is false, `ServerEvent` leaves it out);
- `data`: [object field, field, ...]: `channel.data` becomes that object with the other fields
  added, and `channel.initialized` true (channel.state);
- `state`: {LocalChannelState field: op}, run in order; the ops, each naming frame fields:
  `{"add" | "update": F}` (only on `messages`) files the message or messages in F into the
  messages, threads and pinnedMessages lists (LocalChannel.put), adding new ones or only
  replacing held ones; `{"copy": F}` sets the field to F; `{"by_user": F}` to the list F keyed
  by each item's `user.id`; `{"set_by_user": true}` / `{"delete_by_user": true}` sets / deletes
  the frame under its `user.id`; `{"read_up_to": PATH}` records that the frame's user read up to
  the message id at PATH; `{"read_as": {READ FIELD: F}}` sets the user's read entry from those
  fields; `{"set_by_user": F}` sets F under the frame's `user.id`, `{"set_user": F}` gives the
  entry held under it F as its `user` (presence); unread counts: `{"own_unread": F}` is the
  signed-in user's `unread_messages` in the read list F, `{"count": F}` adds the message F when
  it counts as unread (someone else's, not muted, shown in the channel...) or resets to 0 for
  the user's own, `{"zero_if_own": true}` resets when the frame's user is the signed-in one; a
  `count` op also adds Stream's `countUnread()`. An op whose source field is optional runs only
  when the frame has it. LocalChannelState has a field for each one an op writes, typed from
  the frame fields it is written from;
- `state_unless`: F: the `state` ops are skipped for a frame that has F (message.read with a
  `thread_id` is a thread's read, not the channel's);
- `replace_data`: F: `channel.data` becomes F, keeping what `data` added (own_capabilities...);
- `adopt`: F: a channel made without an id (Stream's distinct channel) takes the frame's `cid`
  and F's `id`, and the client files it under that cid;
- `forget: true`: the client's registry drops the channel (after it has heard the frame);
- `client`: {op: arg}, what the frame does to the client (`applyClientFrame`, before the frame's
  channel and listeners): `{"me": F}` sets `client.user` and `mutedUsers` from the OwnUser F,
  `{"counts": [F, ...]}` copies those unread totals onto `client.user`, `{"all_channels": true}`
  runs the frame's `state` ops on every channel the client holds (a frame without a cid).
CloseCode's `{"fatal": [code, ...]}` lists the closes after which the shim does not reconnect, and
`{"retry_after": code}` the close whose reason ("retry after N ms") says how long to wait first.
ErrorCode's `{"error_class": NAME}` names the error the shim raises for an `error` frame (its
ErrorCode) and a fatal close (its CloseCode): `NAME extends Error` with `code`. ServerFrame's
`{"local_events": {TYPE: {FIELD: schema}}}` declares the events the shim emits itself (such as
connection.changed {online}); `Event`, what listeners get, is the server events and these.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

__all__ = ["TARGETS", "generate", "main"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "frames.schema.json"
PY_OUT = ROOT / "backend" / "chat" / "frames.py"
TS_OUT = ROOT / "libs" / "chat-shim" / "frames.ts"
REQUESTS_OUT = ROOT / "libs" / "chat-shim" / "requests.ts"
EVENTS_OUT = ROOT / "libs" / "chat-shim" / "events.ts"
IMPORT_SCHEMA = ROOT / "schema" / "import.schema.json"
RECORDS_OUT = ROOT / "backend" / "chat" / "importing" / "records.py"
TARGETS = (PY_OUT, TS_OUT, REQUESTS_OUT, EVENTS_OUT, RECORDS_OUT)
COMMAND = "tools/dev codegen"
HEADER = f"GENERATED from schema/frames.schema.json by `{COMMAND}`. DO NOT EDIT."
RECORDS_HEADER = f"GENERATED from schema/import.schema.json by `{COMMAND}`. DO NOT EDIT."


def _bin(name: str, *places: Path) -> str:
    for place in places:
        candidate = place / name
        if candidate.exists():
            return str(candidate)
    raise SystemExit(f"codegen: {name} not found in {', '.join(map(str, places))}; run `tools/dev setup`")


def _python(out: Path, schema: Path = SCHEMA, target: Path = PY_OUT, header: str = HEADER) -> None:
    venv_bins = (Path(sys.executable).parent, ROOT / ".venv" / "bin")
    with tempfile.TemporaryDirectory() as neutral:  # no pyproject.toml here to steer its formatter
        models = subprocess.run(
            [
                _bin("datamodel-codegen", *venv_bins),
                "--input",
                str(schema),
                "--input-file-type",
                "jsonschema",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--use-annotated",
                "--field-constraints",
                "--use-title-as-name",
                "--collapse-root-models",
                "--skip-root-model",
                "--use-one-literal-as-default",
                "--disable-timestamp",
                "--target-python-version",
                "3.11",
                "--use-double-quotes",
                "--formatters",
                "builtin",
                "--custom-file-header",
                f"# {header}",
            ],
            check=True,
            capture_output=True,
            cwd=neutral,
        ).stdout
    # Held to the repository's own format, so ruff and the diff agree on one spelling.
    formatted = subprocess.run(
        [_bin("ruff", *venv_bins), "format", "--stdin-filename", str(target), "-"],
        input=models,
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout
    out.write_bytes(formatted)


def _records(out: Path) -> None:
    """The import records (chat.importing), from their own schema by the same generator."""
    _python(out, IMPORT_SCHEMA, RECORDS_OUT, RECORDS_HEADER)


# json2ts emits only the definitions a frame reaches; these are used by code, not by a frame.
TS_STANDALONE = ("CloseCode", "UploadResponse")
# .prettierrc.json's printWidth: doc comments are wrapped to it (prettier leaves comments alone).
PRINT_WIDTH = 100


def _prettier(source: str, target: Path) -> str:
    """Returns `source` formatted as the repository formats `target` (.prettierrc.json)."""
    done = subprocess.run(
        [_bin("prettier", ROOT / "node_modules" / ".bin"), "--stdin-filepath", str(target)],
        input=source.encode(),
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return done.stdout.decode()


def _typescript(out: Path) -> None:
    exe = _bin("json2ts", ROOT / "node_modules" / ".bin")

    def json2ts(schema: Path, banner: str) -> str:
        done = subprocess.run(
            [exe, "-i", str(schema), "--bannerComment", banner], check=True, capture_output=True
        )
        return done.stdout.decode()

    parts = [json2ts(SCHEMA, f"/* {HEADER} */")]
    definitions = json.loads(SCHEMA.read_text())["$defs"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in TS_STANDALONE:
            piece = Path(tmp) / f"{name}.json"
            piece.write_text(json.dumps(definitions[name]))
            parts.append(json2ts(piece, ""))
    out.write_text(_prettier("".join(parts), TS_OUT))


REQUESTS_DOC = """/**
 * stream-chat's calls that are one request frame each, generated from the `x-shim` annotations on
 * the client frames (tools/codegen.py says how to write one). `clientRequests(Base)` adds
 * StreamChat's to a class, `channelRequests(Base)` Channel's; each sends its frame (StreamChat's
 * through the class's `request`, Channel's through its `client`) and resolves with the answer.
 */"""


def _ts_literal(value: object) -> str:
    """Returns `value` as a TypeScript literal (single-quoted strings, as prettier would)."""
    return "'" + value + "'" if isinstance(value, str) else json.dumps(value)


def _is_sort(prop: dict[str, Any]) -> bool:
    """Whether a frame field is a sort: a list of `{field, direction}`."""
    items = prop.get("items", {}) if prop.get("type") == "array" else {}
    if "$ref" not in items:
        return False
    fields = json.loads(SCHEMA.read_text())["$defs"][_def_name(items)].get("properties", {})
    return {"field", "direction"} <= set(fields)


def _request_method(
    name: str, definition: dict[str, Any], shim: dict[str, Any], throttles: dict[str, dict[str, Any]]
) -> str:
    """Returns one x-shim call as a method: the def's description, Stream's signature, one frame.
    `throttles` holds the throttled calls (`throttle_ms`) by their `stop` frame type."""
    on, method = str(shim["call"]).split(".")
    props: dict[str, Any] = definition["properties"]
    required = set(definition.get("required", []))
    field_type = f"F.{name}"
    params: list[tuple[str, str, bool]] = []  # name, type, may be left out
    values = {"type": _ts_literal(props["type"]["const"])}
    if on == "channel" and "cid" in props:
        values["cid"] = "this.cid"
    for arg in shim.get("args", []):
        if isinstance(arg, str):
            params.append((arg, f"{field_type}['{arg}']", arg not in required))
            values[arg] = arg
        elif "unused" in arg:
            params.append((f"_{arg['unused']}", "string", True))
        elif "sort" in arg:
            key = arg["sort"]
            params.append((key, f"SdkSort<F.{_def_name(props[key]['items'])}>", key not in required))
            values[key] = f"sortOf<F.{name}['{key}']>({key})"
        elif "by_type" in arg:  # one parameter, two fields: which one by its type (Stream's search)
            text_field, object_field = arg["by_type"]["string"], arg["by_type"]["object"]
            both = f"{field_type}['{text_field}'] | {field_type}['{object_field}']"
            params.append((arg["name"], f"NonNullable<{both}>", False))
            test = f"typeof {arg['name']} === 'string'"
            values[text_field] = f"{test} ? {arg['name']} : undefined"
            values[object_field] = f"{test} ? undefined : {arg['name']}"
        else:
            fields = arg["fields"]
            pairs = list(fields.items()) if isinstance(fields, dict) else [(f, f) for f in fields]
            # An option that is a list of `{field, direction}` takes the SDK's sort, as `sort` does.
            sorts = {key for _, key in pairs if _is_sort(props[key])}
            members = [
                f"{option}{'' if key in required else '?'}: "
                + (
                    f"SdkSort<F.{_def_name(props[key]['items'])}>"
                    if key in sorts
                    else f"{field_type}['{key}']"
                )
                for option, key in pairs
            ]
            values.update(
                {
                    key: f"sortOf<{field_type}['{key}']>({arg['name']}.{option})"
                    if key in sorts
                    else f"{arg['name']}.{option}"
                    for option, key in pairs
                }
            )
            optional = all(key not in required for _, key in pairs)
            params.append((arg["name"], "{ " + "; ".join(members) + " }", optional))
    values.update({key: _ts_literal(value) for key, value in shim.get("set", {}).items()})
    values.update({key: f"this.{member}" for key, member in shim.get("this", {}).items()})
    unset = required - set(values) - {"request_id"}
    if unset:
        raise SystemExit(f"codegen: x-shim {shim['call']} ({name}) never sets {sorted(unset)}")
    answers = shim["answer"] if isinstance(shim["answer"], list) else [shim["answer"]]
    answer = " | ".join(f"F.{a}" for a in answers)
    # A parameter may be left out only when every one after it may be too.
    signature: list[str] = []
    tail_optional = True
    for pname, ptype, optional in reversed(params):
        tail_optional = tail_optional and optional
        if tail_optional:
            pname, ptype = (pname, f"{ptype} = {{}}") if ptype[0] == "{" else (f"{pname}?", ptype)
        signature.insert(0, f"{pname}: {ptype}")
    frame = ", ".join(key if value == key else f"{key}: {value}" for key, value in values.items())
    # A channel's calls go through its client, which routes the answer back to the channel.
    send = "this.request" if on == "client" else "this.client.request"
    sent = f"{{ {frame} }}" if on == "client" else f"{{ {frame} }}, this"
    call, result = f"{send}<{answer}>({sent})", f"Promise<{answer}>"
    if "wrap" in shim:
        call += f".then(({shim['wrap']}) => ({{ {shim['wrap']} }}))"
        result = f"Promise<{{ {shim['wrap']}: {answer} }}>"
    if "hold" in shim:  # each channel.state of the list, filed in the client's registry
        held = "const c = this.channel(s.channel.type, s.channel.id);\nc.applyFrame(s);\nreturn c;"
        call += f".then(({{ {shim['hold']} }}) =>\n{shim['hold']}.map((s) => {{\n{held}\n}}),\n)"
        result = "Promise<LocalChannel[]>"
    doc = _doc(str(definition.get("description", "")), indent=4)
    frame_type, args = props["type"]["const"], ", ".join(pname for pname, _, _ in params)
    if "throttle_ms" in shim:
        return _throttled_method(method, signature, args, call, definition, shim, throttles)
    if frame_type in throttles:  # the stop of a throttled call: it also resets the throttle
        start = str(throttles[frame_type]["call"]).split(".")[1]
        doc = _doc(f"{definition.get('description', '')} The next `{start}` sends at once.", indent=4)
        reset = f"clearTimeout(this.#{start}Timer);\nthis.#{start}At = 0;\nawait {call};"
        return f"{doc}\nasync {method}({', '.join(signature)}): Promise<void> {{\n{reset}\n}}\n"
    return f"{doc}\n{method}({', '.join(signature)}): {result} {{\nreturn {call};\n}}\n"


def _throttled_method(
    method: str,
    signature: list[str],
    args: str,
    call: str,
    definition: dict[str, Any],
    shim: dict[str, Any],
    throttles: dict[str, dict[str, Any]],
) -> str:
    """Returns a throttled x-shim call (Stream's keystroke): it sends its frame at most every
    `throttle_ms`, and calls its `stop` frame's method `idle_stop_ms` after the last call. Both
    resolve with nothing, as Stream's do; the stop's method also resets the throttle."""
    frame, stop, every, idle = (
        definition["properties"]["type"]["const"],
        shim["stop"],
        shim["throttle_ms"],
        shim["idle_stop_ms"],
    )
    stop_method = str(throttles[stop]["stop_call"]).split(".")[1]
    at, timer = f"#{method}At", f"#{method}Timer"
    doc = _doc(
        f"{definition.get('description', '')} Call it on every keystroke: it sends {frame} at most"
        f" every {every} ms, and {stop} {idle} ms after the last call.",
        indent=4,
    )
    body = [
        f"clearTimeout(this.{timer});",
        f"this.{timer} = setTimeout(() => this.{stop_method}({args}).catch(() => {{}}), {idle});",
        f"if (Date.now() - this.{at} < {every}) return;",
        f"this.{at} = Date.now();",
        f"await {call};",
    ]
    fields = f"{at} = 0;\n{timer}?: ReturnType<typeof setTimeout>;\n"
    return (
        f"{fields}\n{doc}\nasync {method}({', '.join(signature)}): Promise<void> {{\n"
        + "\n".join(body)
        + "\n}\n"
    )


def _throttles(definitions: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Returns each throttled x-shim call (`throttle_ms`) by the frame type of its `stop`, with
    `stop_call` added: the call of that frame, which must take the same arguments."""
    shims = {
        definitions[name]["properties"]["type"]["const"]: definitions[name].get("x-shim", [])
        for name in map(_def_name, definitions["ClientFrame"]["oneOf"])
    }
    throttles: dict[str, dict[str, Any]] = {}
    for shim in (shim for calls in shims.values() for shim in calls if "throttle_ms" in shim):
        stops = [stop for stop in shims.get(str(shim["stop"]), []) if stop.get("args") == shim.get("args")]
        if len(stops) != 1:
            raise SystemExit(
                f"codegen: x-shim {shim['call']} stops with {shim['stop']!r}, which has no one call like it"
            )
        throttles[str(shim["stop"])] = {**shim, "stop_call": stops[0]["call"]}
    return throttles


def _pages_method(name: str, definitions: dict[str, Any], shim: dict[str, Any]) -> str:
    """Returns an x-shim call's `pages` as a method that makes the call page after page: each asks
    for the most a page may hold after the previous page's last item, until a page is not full."""
    call, option, after = shim["pages"]["call"], shim["pages"]["option"], shim["pages"]["after"]
    method = str(shim["call"]).split(".")[1]
    paging = definitions[_def_name(definitions[name]["properties"][option])]
    answer = definitions[str(shim["answer"])]["properties"]
    if after not in paging["properties"] or answer.get(option, {}).get("type") != "array":
        raise SystemExit(f"codegen: x-shim pages of {shim['call']} needs {option}.{after} and {option}[]")
    most = paging["properties"]["limit"]["maximum"]
    doc = _doc(
        f"@internal `{method}`, page after page: the {option} after `{after}`, {most} at a time (the most"
        f" a page holds), each page after the previous one's last, until one is not full.",
        indent=4,
    )
    return (
        f"{doc}\nasync {call}({after}?: F.{paging['title']}['{after}']): Promise<void> {{\n"
        f"const {{ {option} }} = await this.{method}({{ {option}: {{ {after}, limit: {most} }} }});\n"
        f"if ({option}.length === {most}) await this.{call}({option}.at(-1)?.id);\n}}\n"
    )


def _doc(text: str, indent: int) -> str:
    """Returns `text` as a doc comment wrapped to fit the print width at `indent`."""
    lines = textwrap.wrap(text.replace("*/", "*\\/"), width=PRINT_WIDTH - indent - 3)
    return "\n".join(["/**", *(f" * {line}" for line in lines), " */"])


CLIENT_SENDS = """/** Sends `frame` with a new request_id and resolves with its answer. */
abstract request<T extends F.ServerFrame>(frame: F.ClientFrame): Promise<T>;"""
# What a channel's calls use; LocalChatClient.channel() sets them (and the x-shim "this" members).
CHANNEL_SENDS = """/** The client whose socket the calls go through; it routes each answer to `channel`. */
declare readonly client: ChannelClient & {
request<T extends F.ServerFrame>(frame: F.ClientFrame, channel: object): Promise<T>;
};
declare readonly cid: F.Cid;"""
# What a call that files channels (x-shim "hold") uses: LocalChatClient.channel().
CLIENT_HOLDS = """/** The one LocalChannel for `type:id` (LocalChatClient.channel()). */
abstract channel(type: string, id: string): LocalChannel;"""
# What a call with an x-shim `{"sort": FIELD}` argument takes, and how it is sent.
SORT = """/** Stream's SDK sort, `{last_message_at: -1}`, or a list of such objects to order the keys. */
type SdkSort<S extends { field: string }> =
| Partial<Record<S['field'], F.SortDirection>>
| Partial<Record<S['field'], F.SortDirection>>[];
/** The SDK's sort as the frame field `T`, the wire's list of `{field, direction}` (the server
 * refuses more keys than the schema's maxItems). */
function sortOf<T>(sort?: SdkSort<{ field: string }>): T {
const keys = sort && [sort].flat().flatMap((fields) => Object.entries(fields));
return keys?.map(([field, direction]) => ({ field, direction })) as T;
}
"""


# What an `uploads` annotation adds to the client: the HTTP call beside the socket, with its token.
UPLOAD_CONFIG = """/** Stream's axiosRequestConfig, as far as an upload uses it: progress (an AxiosProgressEvent's
 * fields), and cancelling with an AbortSignal. */
export type UploadConfig = {
onUploadProgress?: (progress: UploadProgress) => void;
signal?: { addEventListener?: (type: 'abort', listener: () => void) => unknown };
};
export type UploadProgress = { loaded: number; total?: number; bytes: number; lengthComputable: boolean; upload: true };"""
UPLOAD_HELPER = """/** @internal The URL the socket opened, with its token: the HTTP calls beside it use both. */
socketUrl?: string;

/**
 * @internal POSTs `file` (multipart field `file`) to the backend's `/api/<path>` on the socket's
 * host with the socket's token, reporting progress; resolves with the answer, or rejects with a
 * ChatError carrying the refusal's code.
 */
upload(path: string, file: Blob, name?: string, contentType?: string, config: UploadConfig = {}): Promise<F.ANSWER> {
if (!this.socketUrl) return Promise.reject(new ChatError('Not connected', 'unauthenticated'));
const socket = new URL(this.socketUrl);
const form = new FormData();
form.append('file', contentType ? new Blob([file], { type: contentType }) : file, name ?? (file as File).name);
return new Promise((resolve, reject) => {
const xhr = new XMLHttpRequest();
xhr.open('POST', `${socket.protocol.replace('ws', 'http')}//${socket.host}/api/${path}`);
xhr.setRequestHeader('Authorization', socket.searchParams.get('token') ?? '');
xhr.responseType = 'json'; // null when the answer is not JSON (a proxy's error page)
xhr.upload.onprogress = ({ loaded, total, lengthComputable }) =>
config.onUploadProgress?.({ loaded, total, bytes: loaded, lengthComputable, upload: true });
xhr.onload = () => {
const body = xhr.response ?? { message: `HTTP ${xhr.status}`, code: 'internal_error' };
if (xhr.status < 400) resolve(body);
else reject(new ChatError(body.message, body.code));
};
xhr.onerror = xhr.onabort = () => reject(new ChatError('the upload failed', 'internal_error'));
config.signal?.addEventListener?.('abort', () => xhr.abort());
xhr.send(form);
});
}
"""


def _uploads(definitions: dict[str, Any]) -> tuple[list[str], list[str], str | None]:
    """The client's upload helper and the channel's upload calls, from the `uploads` x-shim of a def
    that answers an HTTP upload: `[{"call": "channel.<method>", "path": P}]` adds `<method>(file,
    name?, contentType?, _user?, config?)` (Stream's signature), which POSTs to
    `/api/channels/{type}/{id}/P`. Returns the client members, the channel methods, and the def."""
    found = [(name, d) for name, d in definitions.items() if "uploads" in (d.get("x-shim") or {})]
    if not found:
        return [], [], None
    if len(found) > 1:
        raise SystemExit("codegen: x-shim `uploads` is on more than one def")
    name, definition = found[0]
    calls = []
    for upload in definition["x-shim"]["uploads"]:
        on, method = str(upload["call"]).split(".")
        if on != "channel":
            raise SystemExit(f"codegen: x-shim uploads call {upload['call']} is not a channel call")
        what = "an image" if upload["path"] == "image" else "a file"
        doc = _doc(
            f"Upload {what} to the channel (Stream's channel.{method}): POST"
            f" /api/channels/{{type}}/{{id}}/{upload['path']} beside the socket, with its token."
            f" {definition.get('description', '').split(': ', 1)[-1]} `config.onUploadProgress` hears"
            " the bytes sent; `config.signal` cancels.",
            indent=4,
        )
        path = f"`channels/${{this.cid.replace(':', '/')}}/{upload['path']}`"
        calls.append(
            f"{doc}\n{method}(file: Blob, name?: string, contentType?: string, _user?: unknown, config?: UploadConfig):"
            f" Promise<F.{name}> {{\nreturn this.client.upload({path}, file, name, contentType, config);\n}}\n"
        )
    return [UPLOAD_HELPER.replace("ANSWER", name)], calls, name


def _requests(out: Path) -> None:
    """Writes the shim's request methods (two mixins) from the client frames' x-shim annotations."""
    definitions = json.loads(SCHEMA.read_text())["$defs"]
    methods: dict[str, list[str]] = {"client": [], "channel": []}
    members: dict[str, list[str]] = {"client": [CLIENT_SENDS], "channel": [CHANNEL_SENDS]}
    upload_helper, upload_calls, upload_answer = _uploads(definitions)
    if upload_answer:  # the channel's client does uploads too
        members["channel"][0] = CHANNEL_SENDS.replace(
            "\n};",
            "\nupload(path: string, file: Blob, name?: string, contentType?: string, config?: UploadConfig):"
            f" Promise<F.{upload_answer}>;\n}};",
            1,
        )
    declared: set[tuple[str, str]] = set()  # the x-shim "this" members: the first frame to name one types it
    throttles = _throttles(definitions)
    shims = [
        shim
        for ref in definitions["ClientFrame"]["oneOf"]
        for shim in definitions[_def_name(ref)].get("x-shim", [])
    ]
    for ref in definitions["ClientFrame"]["oneOf"]:
        name = ref["$ref"].rsplit("/", 1)[1]
        for shim in definitions[name].get("x-shim", []):
            on = str(shim["call"]).split(".")[0]
            methods[on].append(_request_method(name, definitions[name], shim, throttles))
            if "pages" in shim:
                methods[on].append(_pages_method(name, definitions, shim))
            if "hold" in shim and CLIENT_HOLDS not in members[on]:
                members[on].append(CLIENT_HOLDS)
            for key, member in shim.get("this", {}).items():
                if (on, member) not in declared:  # set by LocalChatClient.channel(): never undefined
                    declared.add((on, member))
                    members[on].append(f"declare readonly {member}: NonNullable<F.{name}['{key}']>;")
    sorts = any("sort" in arg for shim in shims for arg in shim.get("args", []) if isinstance(arg, dict))
    holds = any("hold" in shim for shim in shims)
    methods["client"] += upload_helper
    methods["channel"] += upload_calls
    mixins = []
    for on, title in (("client", "StreamChat"), ("channel", "Channel")):
        extra = "".join(f"{member}\n" for member in members[on])
        mixins.append(
            f"/** Adds stream-chat's {title} calls that are one frame each to `base`. */\n"
            f"export function {on}Requests<B extends Base>(base: B) {{\n"
            f"abstract class {title}Requests extends base {{\n{extra}\n"
            + "\n".join(methods[on])
            + f"}}\nreturn {title}Requests;\n}}\n"
        )
    source = "\n".join(
        [
            f"/* {HEADER} */",
            REQUESTS_DOC,
            "import type { ChannelClient } from './events';",
            "import type * as F from './frames';",
            *(["import type { LocalChannel } from './index';"] if holds else []),
            *(["import { ChatError } from './events';", "", UPLOAD_CONFIG] if upload_answer else []),
            "",
            "// TypeScript's rule for a mixin: its base's constructor takes any arguments.",
            "type Base = abstract new (...args: any[]) => object;\n",
            *([SORT] if sorts else []),
            *mixins,
        ]
    )
    out.write_text(_prettier(source, REQUESTS_OUT))


EVENTS_DOC = """/**
 * What the server's frames do in the shim, generated from the `x-shim` annotations on the server
 * frames (tools/codegen.py says how to write one): which of them reach listeners (`isEvent`), the
 * events listeners get (`Event`, with the client-side ones ServerFrame's annotation declares), the
 * channel state they keep (`LocalChannelState`), and `channelState(Base)`, which adds that state
 * and `applyFrame(frame)` to a class. FATAL_CLOSE_CODES comes from the CloseCode annotation, the
 * error class (ChatError) from ErrorCode's.
 */"""
# Stream's Event is one flat object type; the shim's is a union that reads the same way.
FLAT = """/** Each member of the union also shows the others' fields as optional `undefined`, so
 * `e.message?.text` reads as it does on Stream's flat Event, and `switch (e.type)` still narrows. */
export type Flat<T, K extends PropertyKey = T extends unknown ? keyof T : never> = T extends unknown
? T & { [P in Exclude<K, keyof T>]?: undefined }
: never;"""
# What ErrorCode's x-shim "error_class" names: the shim's one error, with the refusal's code.
RETRY_AFTER = """/** The milliseconds a {name} ({code}) close asks the shim to wait before reconnecting (its
 * reason says "retry after N ms"; CloseCode's x-shim "retry_after"); 0 after any other close. */
export const retryAfter = (code: number, reason: string): number =>
  code === {code} ? Number(/retry after (\\d+) ms/.exec(reason)?.[1] ?? 0) : 0;
"""

ERROR_CLASS = """/** Raised when the server refuses a request (an ErrorCode) or the connection (a CloseCode). */
export class {name} extends Error {{
readonly code: F.ErrorCode | F.CloseCode;
constructor(message: string, code: {name}['code']) {{
super(message);
this.code = code;
}}
}}
"""


def _local_events(definitions: dict[str, Any]) -> str:
    """Returns the union of the client-side events, from ServerFrame's x-shim "local_events":
    {event type: {field: JSON Schema}}."""
    declared: dict[str, dict[str, Any]] = definitions["ServerFrame"]["x-shim"]["local_events"]
    members = []
    for event, fields in declared.items():
        typed = "".join(f"; {field}: {_ts_type(prop, definitions)}" for field, prop in fields.items())
        members.append(f"{{ type: '{event}'{typed} }}")
    return " | ".join(members)


# The lists LocalChannel.put files a frame's messages into ("messages": {"add" | "update": ...}).
MESSAGE_LISTS = {
    "messages": ("F.Message[]", "The channel's messages, oldest first: top level, and replies shown in it."),
    "threads": ("Record<F.MessageId, F.Message[]>", "Each thread's replies, oldest first, by parent id."),
    "pinnedMessages": ("F.Message[]", "The pinned messages, oldest first."),
}
# The read state `read_up_to` writes: Stream's ChannelState.read entry.
READ_FIELDS = {"user", "last_read", "last_read_message_id", "unread_messages"}


def _short_doc(text: str, indent: int) -> str:
    """Returns `text` as a one-line doc comment when it fits the print width, else as `_doc` does."""
    line = f"/** {text} */"
    return line if indent + len(line) <= PRINT_WIDTH else _doc(text, indent)


def _def_name(ref: dict[str, Any]) -> str:
    return str(ref["$ref"]).rsplit("/", 1)[1]


def _ts_type(prop: dict[str, Any], definitions: dict[str, Any]) -> str:
    """Returns the TypeScript type frames.ts gives a property: a def by its title, or an array."""
    if "$ref" in prop:
        return "F." + str(definitions[_def_name(prop)]["title"])
    if prop.get("type") == "array":
        return _ts_type(prop["items"], definitions) + "[]"
    return {"integer": "number", "number": "number", "boolean": "boolean", "string": "string"}[prop["type"]]


def _empty(ts_type: str) -> str:
    """Returns the value a state field of `ts_type` starts with."""
    if ts_type.endswith("[]"):
        return "[]"
    return {"number": "0", "boolean": "false", "string": "''"}.get(ts_type, "{}")


class _State:
    """The channel state the server frames' x-shim "state" annotations write, field by field."""

    def __init__(self, definitions: dict[str, Any]) -> None:
        self.definitions = definitions
        self.types: dict[str, str] = {}  # each field's TypeScript type
        self.writers: dict[str, list[str]] = {}  # the frame types that write each field
        self.counted: str | None = None  # the field a `count` op keeps: countUnread() reads it

    def declare(self, field: str, ts_type: str | None, frame: str) -> None:
        """Records that `frame` writes `field`, of `ts_type` (None: a field another op declares)."""
        if ts_type is not None and self.types.setdefault(field, ts_type) != ts_type:
            raise SystemExit(f"codegen: x-shim state {field} is {self.types[field]}, {ts_type} for {frame}")
        if frame not in self.writers.setdefault(field, []):
            self.writers[field].append(frame)

    def fields(self) -> list[str]:
        """Returns LocalChannelState's field declarations: the message lists first, then the rest."""
        unknown = set(self.writers) - set(self.types)
        if unknown:
            raise SystemExit(f"codegen: x-shim state deletes from {sorted(unknown)}, which nothing sets")
        order = [*(f for f in MESSAGE_LISTS if f in self.types)]
        order += [f for f in self.types if f not in MESSAGE_LISTS]
        fields = []
        for f in order:
            doc = MESSAGE_LISTS[f][1] if f in MESSAGE_LISTS else f"From {', '.join(self.writers[f])}."
            fields.append(f"{_short_doc(doc, indent=2)}\n{f}: {self.types[f]} = {_empty(self.types[f])};")
        return fields

    def path(self, name: str, path: str) -> str:
        """Returns `frame.<path>` once each part of `path` is a property of the def `name` and on."""
        props = self.definitions[name]["properties"]
        for part in path.split("."):
            if part not in props:
                raise SystemExit(f"codegen: x-shim on {name} names {path}, which it does not have")
            target = self.definitions[_def_name(props[part])] if "$ref" in props[part] else {}
            props = target.get("properties", {})
        return f"frame.{path}"

    def statement(self, name: str, field: str, op: dict[str, Any]) -> str:
        """Returns the statement one x-shim state op of the def `name` runs on `state` / `this`."""
        ((verb, arg),) = op.items()
        definition = self.definitions[name]
        frame, props = definition["properties"]["type"]["const"], definition["properties"]
        if verb in ("add", "update"):
            self.path(name, arg)
            for list_name, (ts_type, _) in MESSAGE_LISTS.items():
                self.declare(list_name, ts_type, frame)
            filed = _ts_type(props[arg], self.definitions).removesuffix("[]")
            if field != "messages" or filed != "F.Message":
                raise SystemExit(f"codegen: x-shim on {name}: {verb} files a message field into messages")
            listed = f"frame.{arg}" if props[arg].get("type") == "array" else f"[frame.{arg}]"
            # Whether the frame is the copy fanned out to every watcher, whose own_reactions are
            # nobody's: not an answer, nor the requester's own copy (the one with its request_id).
            answer = definition.get("x-shim", {}).get("answer")
            fan_out = "false" if answer else "!frame.request_id" if "request_id" in props else "true"
            hard = ", frame.hard_delete" if "hard_delete" in props else ""
            return f"this.put({listed}, {'true' if verb == 'add' else 'false'}, {fan_out}{hard});"
        if verb == "copy":
            self.declare(field, _ts_type(props[arg], self.definitions), frame)
            return f"state.{field} = {self.path(name, arg)};"
        if verb == "by_user":
            item = _ts_type(props[arg]["items"], self.definitions)
            self.declare(field, f"Record<F.UserId, {item}>", frame)
            keyed = f"state.{field} = Object.fromEntries({self.path(name, arg)}.map((x) => [x.user.id, x]));"
            return keyed if arg in definition.get("required", []) else f"if (frame.{arg}) {keyed}"
        if verb == "own_unread":
            self.declare(field, "number", frame)
            mine = f"{self.path(name, arg)}.find((r) => r.user.id === this.client.userID)"
            return f"state.{field} = {mine}?.unread_messages ?? 0;"
        self.path(name, "user.id")
        if verb == "count":
            self.declare(field, "number", frame)
            self.counted = field
            counts = f"state.{field} + Number(this.#counts({self.path(name, arg)}))"
            return f"state.{field} = frame.user.id === this.client.userID ? 0 : {counts};"
        if verb == "zero_if_own":
            self.declare(field, "number", frame)
            return f"if (frame.user.id === this.client.userID) state.{field} = 0;"
        if verb == "set_by_user":
            if arg is True:
                self.declare(field, f"Record<F.UserId, F.{definition['title']}>", frame)
                return f"state.{field}[frame.user.id] = frame;"
            self.declare(field, f"Record<F.UserId, {_ts_type(props[arg], self.definitions)}>", frame)
            return f"state.{field}[frame.user.id] = {self.path(name, arg)};"
        if verb == "set_user":
            self.declare(field, None, frame)
            held = f"state.{field}[frame.user.id]"
            return f"if ({held}) {held} = {{ ...{held}, user: {self.path(name, arg)} }};"
        if verb == "read_as":
            if not set(arg) <= READ_FIELDS - {"user"} or not {"last_read", "unread_messages"} <= set(arg):
                raise SystemExit(f"codegen: x-shim read_as on {name} must give last_read and unread_messages")
            self.declare(field, "Record<F.UserId, F.Read>", frame)
            read = ", ".join(f"{key}: {self.path(name, source)}" for key, source in arg.items())
            return f"state.{field}[frame.user.id] = {{ user: frame.user, {read} }};"
        if verb == "delete_by_user":
            self.declare(field, None, frame)
            return f"delete state.{field}[frame.user.id];"
        if verb == "read_up_to":
            if set(self.definitions["Read"]["properties"]) != READ_FIELDS:
                raise SystemExit("codegen: x-shim read_up_to writes a Read, whose fields have changed")
            self.declare(field, "Record<F.UserId, F.Read>", frame)
            read = f"last_read: {self.path(name, 'created_at')}, last_read_message_id: {self.path(name, arg)}"
            return f"state.{field}[frame.user.id] = {{ user: frame.user, {read}, unread_messages: 0 }};"
        raise SystemExit(f"codegen: x-shim on {name} has the unknown state op {verb!r}")


# What a channel uses of its client; LocalChatClient.channel() sets it.
CHANNEL_CLIENT = """/** What a channel's state uses of its client (LocalChatClient): who is signed in and whom they
 * muted (for unread counts), and the registry a distinct channel files itself in. */
export type ChannelClient = {
userID?: F.UserId;
mutedUsers: F.Mute[];
activeChannels: Record<string, object>;
};
"""
# What an x-shim "adopt" adds to a channel: a distinct channel's filing once the server named it.
ADOPT = """/** Files a channel made without an id (a distinct one) under the cid the server gave it. */
#adopt(cid: F.Cid, id: string): void {
if (this.cid) return;
[this.cid, this.id] = [cid, id];
this.client.activeChannels[cid] = this;
}
"""
# What a `count` op adds to a channel: Stream's countUnread(), and which messages count.
COUNTING = """
/** Stream's channel.countUnread(): the unread count the frames keep (`state.{field}`) or,
 * given `lastRead`, how many of the held messages after it count as unread. */
countUnread(lastRead?: Date | null): number {{
if (!lastRead) return this.state.{field};
return this.state.messages.filter((m) => Date.parse(m.created_at) > +lastRead && this.#counts(m)).length;
}}
/** Whether a message counts as unread, as Stream counts it: someone else's, not a muted
 * user's, neither silent nor a system message, shown in the channel, and the user reads it. */
#counts(m: F.Message): boolean {{
const muted = this.client.mutedUsers.some((mute) => mute.target.id === m.user.id);
const reads = this.data?.own_capabilities.includes('read-events') ?? true;
const shown = !m.parent_id || !!m.show_in_channel;
return m.user.id !== this.client.userID && !muted && !m.silent && m.type !== 'system' && shown && reads;
}}
"""


def _client_statement(definitions: dict[str, Any], name: str, verb: str, arg: Any) -> str:
    """Returns the statement one x-shim "client" op of the server frame `name` runs on the client."""
    props = definitions[name]["properties"]
    if verb == "me":
        if props.get(arg, {}).get("$ref") != "#/$defs/OwnUser":
            raise SystemExit(f"codegen: x-shim client me on {name} names {arg}, which is not an OwnUser")
        statement = f"[this.user, this.mutedUsers] = [frame.{arg}, frame.{arg}.mutes];"
        return statement if arg in definitions[name].get("required", []) else f"if (frame.{arg}) {statement}"
    if verb == "counts":
        unknown = [f for f in arg if f not in props or f not in definitions["OwnUser"]["properties"]]
        if unknown:
            raise SystemExit(f"codegen: x-shim client counts on {name}: {unknown} are not its and OwnUser's")
        fields = ", ".join(f"{f}: frame.{f}" for f in arg)
        return f"if (this.user) this.user = {{ ...this.user, {fields} }};"
    if verb == "all_channels":
        return "for (const channel of Object.values(this.activeChannels)) channel.applyFrame(frame);"
    raise SystemExit(f"codegen: x-shim on {name} has the unknown client op {verb!r}")


def _client_state(definitions: dict[str, Any]) -> str:
    """Returns the clientState mixin: the client fields the server frames' x-shim "client" ops keep."""
    cases: dict[str, list[str]] = {}
    writers: dict[str, list[str]] = {}
    for name in map(_def_name, definitions["ServerFrame"]["oneOf"]):
        frame = definitions[name]["properties"]["type"]["const"]
        ops = definitions[name].get("x-shim", {}).get("client", {})
        for verb in ops:
            writers.setdefault(verb, []).append(frame)
        if ops:
            body = [_client_statement(definitions, name, verb, arg) for verb, arg in ops.items()]
            cases.setdefault("\n".join([*body, "return;"]), []).append(frame)
    switch = "".join(
        "".join(f"case '{f}':\n" for f in frames) + body + "\n" for body, frames in cases.items()
    )
    me, counts = ", ".join(writers.get("me", [])), ", ".join(writers.get("counts", []))
    return "\n".join(
        [
            '/** Adds to `base` the client state the server\'s frames keep (their x-shim "client"), and',
            " * `applyClientFrame`. */",
            "export function clientState<B extends Base>(base: B) {",
            "abstract class ClientStateUpdates extends base {",
            _doc(
                f"The signed-in user: connectUser's, then `me` of {me}, with the unread totals of {counts}.",
                4,
            ),
            "user?: Pick<F.OwnUser, 'id'> & Partial<F.OwnUser>;",
            _short_doc(f"Whom the user has muted: `me.mutes` of {me}.", 4),
            "mutedUsers: F.Mute[] = [];",
            _doc(
                "The channels by cid: LocalChatClient.channel() files each (a distinct channel once its cid is known).",
                4,
            ),
            "activeChannels: Record<string, LocalChannel> = {};\n",
            '/** @internal Updates the client from a frame, as its x-shim "client" says. */',
            "applyClientFrame(frame: F.ServerFrame): void {",
            "switch (frame.type) {",
            switch + "}",
            "}",
            "}",
            "return ClientStateUpdates;",
            "}",
        ]
    )


def _events(out: Path) -> None:
    """Writes what the server frames do in the shim, from their x-shim annotations (and CloseCode's)."""
    definitions = json.loads(SCHEMA.read_text())["$defs"]
    state = _State(definitions)
    events: list[tuple[str, str]] = []  # def name, frame type
    answers: list[tuple[str, str]] = []
    data: list[str] = []
    cases: dict[str, list[str]] = {}  # the statements a frame runs -> its types, so alike ones share
    # The fields `data` adds to the channel (kept when `replace_data` replaces the channel's own).
    server_shims = [
        definitions[_def_name(ref)].get("x-shim", {}) for ref in definitions["ServerFrame"]["oneOf"]
    ]
    kept = [field for shim in server_shims for field in shim.get("data", [])[1:]]
    adopts = False  # whether a frame files a distinct channel under its cid (x-shim "adopt")
    for name in map(_def_name, definitions["ServerFrame"]["oneOf"]):
        definition = definitions[name]
        shim, frame = definition.get("x-shim", {}), definition["properties"]["type"]["const"]
        (answers if shim.get("answer") else events).append((name, frame))
        statements = [state.statement(name, field, op) for field, op in shim.get("state", {}).items()]
        if "state_unless" in shim:  # a thread's read, say, moves none of the channel's state
            statements.insert(0, f"if ({state.path(name, shim['state_unless'])}) return;")
        if "replace_data" in shim:
            keep = "".join(f", {field}: this.data.{field}" for field in kept)
            statements.insert(
                0, f"if (this.data) this.data = {{ ...{state.path(name, shim['replace_data'])}{keep} }};"
            )
        if "adopt" in shim:
            adopts = True
            cid, channel_id = state.path(name, "cid"), state.path(name, f"{shim['adopt']}.id")
            statements.insert(0, f"this.#adopt({cid}, {channel_id});")
        if shim.get("forget"):
            statements.append(f"delete this.client.activeChannels[{state.path(name, 'cid')}];")
        if "data" in shim:
            first, *rest = shim["data"]
            picked = " | ".join(f"'{field}'" for field in rest)
            doc = f"Stream's channel.data: {frame}'s `{first}`, with its {' and '.join(f'`{f}`' for f in rest)}."
            data_type = f"{_ts_type(definition['properties'][first], definitions)} & Pick<F.{name}, {picked}>"
            data.append(f"{_short_doc(doc, indent=4)}\ndata?: {data_type};")
            added = "".join(f", {field}: {state.path(name, field)}" for field in rest)
            spread = f"this.data = {{ ...{state.path(name, first)}{added} }};"
            statements[:0] = [spread, "this.initialized = true;"]
        if statements:
            cases.setdefault("\n".join([*statements, "return;"]), []).append(frame)
    if len(data) > 1:
        raise SystemExit("codegen: x-shim `data` is on more than one server frame")
    close = definitions["CloseCode"]
    names = dict(zip(close["enum"], close["x-enum-varnames"], strict=True))
    fatal = close["x-shim"]["fatal"]
    switch = "".join(
        "".join(f"case '{frame}':\n" for frame in frames) + body + "\n" for body, frames in cases.items()
    )
    source = "\n".join(
        [
            f"/* {HEADER} */",
            EVENTS_DOC,
            "import type * as F from './frames';",
            "import type { LocalChannel } from './index';\n",
            "// TypeScript's rule for a mixin: its base's constructor takes any arguments.",
            "type Base = abstract new (...args: any[]) => object;\n",
            CHANNEL_CLIENT,
            "/** The server frames listeners get: all but those that only answer a request. */",
            f"export type ServerEvent = {' | '.join(f'F.{name}' for name, _ in events)};",
            '/** The frames that only answer a request (x-shim "answer"): they settle it, and may',
            " * update state, but reach no listener. */",
            f"const ANSWERS: ReadonlySet<string> = new Set([{', '.join(repr(f) for _, f in answers)}]);\n",
            "/** Whether listeners get `frame`: it is not only the answer to a request. */",
            "export function isEvent(frame: F.ServerFrame): frame is ServerEvent {",
            "return !ANSWERS.has(frame.type);",
            "}\n",
            '/** The events the shim itself emits (ServerFrame\'s x-shim "local_events"). */',
            f"type LocalEvent = {_local_events(definitions)};",
            FLAT,
            "/** What a listener gets: the server's events, and the client-side connection events. */",
            "export type Event = Flat<ServerEvent | LocalEvent>;",
            "/** What a listener listens to: one event type, or 'all'. */",
            "export type EventType = Event['type'] | 'all';",
            "export type EventHandler = (event: Event) => void;\n",
            ERROR_CLASS.format(name=definitions["ErrorCode"]["x-shim"]["error_class"]),
            _doc(
                'The closes after which the shim does not reconnect (CloseCode\'s x-shim "fatal"): '
                + ", ".join(f"{names[code]} ({code})" for code in fatal)
                + ".",
                indent=0,
            ),
            f"export const FATAL_CLOSE_CODES: readonly number[] = {json.dumps(fatal)};\n",
            RETRY_AFTER.format(
                name=names[close["x-shim"]["retry_after"]], code=close["x-shim"]["retry_after"]
            ),
            "/** channel.state: the part of the SDK's ChannelState the shim keeps (times stay ISO",
            ' * strings), a field for each one the server frames\' x-shim "state" writes. */',
            "export class LocalChannelState {",
            *state.fields(),
            "}\n",
            "/** Adds to `base` the channel state the server's frames keep, and `applyFrame`. */",
            "export function channelState<B extends Base>(base: B) {",
            "abstract class ChannelStateUpdates extends base {",
            "/** The client whose socket and registry the channel uses. */",
            "declare readonly client: ChannelClient;",
            "/** `type:id`; a distinct channel (no id) has neither until its cid is known. */",
            "declare cid: F.Cid;",
            "declare id: string;",
            *data,
            "/** Whether a channel.state answer has filled `data` and `state`. */",
            "initialized = false;",
            "state = new LocalChannelState();",
            *([COUNTING.format(field=state.counted)] if state.counted else []),
            *([ADOPT] if adopts else []),
            "/** Files messages into the message lists of `state` (LocalChannel.put): `add` puts in",
            " * what is not held, `fanOut` keeps the held own_reactions, `hard` takes them out. */",
            "abstract put(messages: F.Message[], add: boolean, fanOut: boolean, hard?: boolean): void;\n",
            "/** @internal Updates `state` (and `data`) from a frame for this channel, as its x-shim",
            ' * "state" says. */',
            "applyFrame(frame: F.ServerFrame): void {",
            "const { state } = this;",
            "switch (frame.type) {",
            switch + "}",
            "}",
            "}",
            "return ChannelStateUpdates;",
            "}\n",
            _client_state(definitions),
        ]
    )
    out.write_text(_prettier(source, EVENTS_OUT))


def generate(directory: Path | None = None) -> dict[Path, Path]:
    """Write every generated file (into `directory` instead of the tree when given)."""
    written: dict[Path, Path] = {}
    makers = (
        (PY_OUT, _python),
        (TS_OUT, _typescript),
        (REQUESTS_OUT, _requests),
        (EVENTS_OUT, _events),
        (RECORDS_OUT, _records),
    )
    for target, make in makers:
        out = directory / target.name if directory else target
        make(out)
        written[target] = out
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    args = parser.parse_args(argv)
    if not args.check:
        for target in generate():
            print(f"codegen: wrote {target.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [
            target
            for target, fresh in generate(Path(tmp)).items()
            if not target.exists() or target.read_bytes() != fresh.read_bytes()
        ]
    for target in stale:
        print(f"{target.relative_to(ROOT)} is out of date; run `{COMMAND}`", file=sys.stderr)
    if not stale:
        print("codegen: every generated file matches schema/frames.schema.json and schema/import.schema.json")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
