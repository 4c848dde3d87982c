import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/infra/sessions.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const cookie = await endSession(context.lucia, request.headers.get("Cookie"));
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}

export function loader() {
  return redirect("/");
}
