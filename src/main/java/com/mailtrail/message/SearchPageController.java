package com.mailtrail.message;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The search page: a form, the results with their exact total, paging, and the quick search from the header. */
@Controller
class SearchPageController {

    private final MessageSearchPage search;

    SearchPageController(MessageSearchPage search) {
        this.search = search;
    }

    @GetMapping("/search")
    String search(SearchForm form, @RequestParam(required = false) String q, Model model,
                  HttpServletResponse response) {
        model.addAttribute("page", "search");
        model.addAttribute("quickQuery", q);
        model.addAttribute("statuses", java.util.List.of("delivered", "deferred", "queued", SearchForm.WAITING,
                "bounced", "rejected"));
        model.addAttribute("categories", SearchForm.CATEGORIES);
        MessageSearchPage.View view = search.view(form, q);
        if (view.redirect() != null) {
            return "redirect:" + view.redirect();
        }
        if (view.error() != null) {
            response.setStatus(HttpStatus.BAD_REQUEST.value());
        }
        model.addAttribute("view", view);
        return "search";
    }
}
